// SQLite: the data version, which commits by other connections change.

package database

import (
	"context"

	"gorm.io/gorm"
)

// sqliteDataVersion reads PRAGMA data_version on db's one connection: it
// changes whenever another connection, of this process or another, has
// committed a change to the file.
func sqliteDataVersion(ctx context.Context, db *gorm.DB) (int64, error) {
	var v int64
	err := db.WithContext(ctx).Raw("PRAGMA data_version").Scan(&v).Error
	return v, err
}
