//go:build tools

// Package serverbuild pins the Temporal server and SQL tool versions so the
// local stack builds reproducibly from the Go module proxy.
package serverbuild

import (
	_ "go.temporal.io/server/cmd/server"
	_ "go.temporal.io/server/cmd/tools/sql"
)
