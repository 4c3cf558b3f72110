//go:build unix

package bootstrap

import "syscall"

// statFS reads the filesystem of an existing path: its device (to tell
// filesystems apart) and the bytes available to an unprivileged user.
func statFS(path string) (dev uint64, free int64, ok bool) {
	var st syscall.Stat_t
	var fs syscall.Statfs_t
	if syscall.Stat(path, &st) != nil || syscall.Statfs(path, &fs) != nil {
		return 0, 0, false
	}
	return uint64(st.Dev), int64(fs.Bavail) * int64(fs.Bsize), true
}
