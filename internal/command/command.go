// Package command holds the commands that both front ends run, the command
// line and each SSH session of serve: find, export, caller and version, and
// their output (the public JSON and CSV records, the find table). Each front end
// builds the same cobra commands over its own Source.
package command

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/spf13/cobra"
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
	// Lang says the language of what a person reads: the table's headings,
	// stderr's lines (nil: English). It is asked when needed, as the
	// command line knows its config's choice only once it has read it.
	// JSON and CSV stay English: they are a contract.
	Lang func() *lang.Language
}

// lang is the language the commands speak.
func (c *Commands) lang() *lang.Language {
	if c.Lang == nil {
		return lang.English()
	}
	return c.Lang()
}

// ErrorLine renders err as one line in the language l, with the portal's
// hint when it has one (directory.FailureOf, which the browser's error line
// says too).
func ErrorLine(l *lang.Language, err error) string {
	return directory.FailureOf(l, err).Line()
}

// LocalizeHelp says the help of cmd and of the commands below it in l:
// cobra's headings (Usage, Flags, Examples…) and its help flag; the
// commands' own texts come from the catalogs already. English is left as
// cobra writes it.
func LocalizeHelp(cmd *cobra.Command, l *lang.Language) {
	if l == lang.English() {
		return
	}
	t := cmd.UsageTemplate()
	t = strings.ReplaceAll(t, `Use "{{.CommandPath}} [command] --help" for more information about a command.`,
		l.T("cobra.more", "Command", "{{.CommandPath}}"))
	for _, h := range [][2]string{
		{"Usage:", "cobra.usage"}, {"Aliases:", "cobra.aliases"}, {"Examples:", "cobra.examples"},
		{"Available Commands:", "cobra.commands"}, {"Additional Commands:", "cobra.morecommands"},
		{"Global Flags:", "cobra.globalflags"}, {"Flags:", "cobra.flags"}, {"Additional help topics:", "cobra.topics"},
	} {
		t = strings.TrimPrefix(strings.ReplaceAll("\n"+t, "\n"+h[0], "\n"+l.T(h[1])), "\n")
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.SetUsageTemplate(t)
		c.InitDefaultHelpFlag()
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = l.T("cobra.helpflag", "Command", c.Name())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd)
}
