// Command timetracker brings TimeTracker's database to a known, verified
// schema. See README.md.
package main

import (
	"os"

	"github.com/timetracker/timetracker/cmd"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	os.Exit(cmd.Main(version))
}
