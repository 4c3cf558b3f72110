// GORM's statement log sent to slog.

package database

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm/logger"
)

// slogLogger sends GORM's statement log to slog at debug level.
type slogLogger struct{ log *slog.Logger }

func (l slogLogger) LogMode(logger.LogLevel) logger.Interface { return l }
func (l slogLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.DebugContext(ctx, msg, "args", args)
}
func (l slogLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.DebugContext(ctx, msg, "args", args)
}
func (l slogLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.DebugContext(ctx, msg, "args", args)
}
func (l slogLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if !l.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	sql, rows := fc()
	l.log.DebugContext(ctx, "sql", "statement", sql, "rows", rows, "elapsed", time.Since(begin), "error", err)
}
