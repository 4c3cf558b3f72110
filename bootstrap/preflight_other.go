//go:build !unix

package bootstrap

// statFS cannot read free space here: the preflight skips the check.
func statFS(string) (uint64, int64, bool) { return 0, 0, false }
