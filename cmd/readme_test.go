package cmd

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestREADMEExitCodes keeps the README's exit-code table equal to the code.
func TestREADMEExitCodes(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	rows := regexp.MustCompile(`(?m)^\| (\d) \| `).FindAllStringSubmatch(string(b), -1)
	var got []int
	for _, r := range rows {
		n, _ := strconv.Atoi(r[1])
		got = append(got, n)
	}
	want := []int{ExitOK, ExitError, ExitUsage, ExitUnreachable, ExitVerify, ExitRefused, ExitLockTimeout, ExitBackup, ExitInterrupted}
	require.Equal(t, want, got)
}
