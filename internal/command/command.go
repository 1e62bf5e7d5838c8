// Package command holds the commands that both front ends run, the command
// line and each SSH session of serve: find, export, caller and version, and
// their output (the public JSON and CSV records, the find table). Each front end
// builds the same cobra commands over its own Source.
package command

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/b24org/b24org/directory"
)

// Exit codes of the commands.
const (
	ExitOK      = 0
	ExitNoMatch = 1
	ExitError   = 2
)

// ErrNoMatch ends a find that matched no one: exit 1, nothing more to say.
var ErrNoMatch = errors.New("no match")

// Source answers find and export: on the command line the configured
// portal (or its cache), in an SSH session the server's shared directory.
type Source interface {
	// Find looks query up (limit 0: no limit), saying with warn what the
	// answer lacks, and returns the idle threshold to tell presence with.
	Find(ctx context.Context, query string, limit int, warn func(string)) (*directory.FindResult, time.Duration, error)
	// Org returns the whole directory and the idle threshold.
	Org(ctx context.Context) (*directory.Org, time.Duration, error)
	// Callers looks a phone number up among the portal's CRM clients
	// (directory.Directory.Callers), saying with warn what the answer
	// lacks, and returns the idle threshold.
	Callers(ctx context.Context, number string, warn func(string)) (*directory.Callers, time.Duration, error)
}

// Commands builds the cobra commands of one run or one SSH session.
type Commands struct {
	Source  Source
	Stdout  io.Writer    // where the answers go
	Warn    func(string) // prints one line on stderr
	Width   func() int   // the width the find table must fit (nil or 0: no limit)
	Release string       // the program's version; "dev" asks the build
}

// ErrorLine renders err as one line, with the portal's hint when it has one
// (directory.FailureOf, which the browser's error line says too).
func ErrorLine(err error) string {
	return directory.FailureOf(err).Line()
}
