// Package command holds the commands that both front ends run, the command
// line and each SSH session of serve: find, export, caller and version, and
// their output (the public JSON and CSV records, the find table). Each front end
// builds the same cobra commands over its own Source.
package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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
	// Invocation is how a person runs these commands, as their hints say
	// it: "b24org" (empty), or over SSH "ssh HOST".
	Invocation string
}

// invocation is how a person runs the command name: "b24org find".
func (c *Commands) invocation(name string) string {
	if c.Invocation == "" {
		return "b24org " + name
	}
	return c.Invocation + " " + name
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
// cobra's headings (Usage, Flags, Examples…), its help flag, its help and
// completion commands (made here, as cobra would make them when it runs),
// the usage lines' [flags] and [command], and the defaults pflag writes
// after a flag's usage; the commands' own texts come from the catalogs
// already. English is left as cobra writes it.
func LocalizeHelp(cmd *cobra.Command, l *lang.Language) {
	if l == lang.English() {
		return
	}
	cmd.InitDefaultHelpCmd()
	cmd.InitDefaultCompletionCmd()
	name := cmd.Root().Name()
	t := cmd.UsageTemplate()
	t = strings.ReplaceAll(t, `Use "{{.CommandPath}} [command] --help" for more information about a command.`,
		l.T("cobra.more", "Command", "{{.CommandPath}}"))
	// cobra's UseLine adds " [flags]" in English: the commands whose line
	// would have it are marked, and the template adds it in l.
	t = strings.ReplaceAll(t, "{{.UseLine}}", `{{.UseLine}}{{if and (index .Annotations "`+flagsInUseLine+`") .HasAvailableFlags}} `+l.T("cli.usage.flags")+`{{end}}`)
	t = strings.ReplaceAll(t, "{{.CommandPath}} [command]", "{{.CommandPath}} "+l.T("cli.usage.command"))
	for _, h := range [][2]string{
		{"Usage:", "cobra.usage"}, {"Aliases:", "cobra.aliases"}, {"Examples:", "cobra.examples"},
		{"Available Commands:", "cobra.commands"}, {"Additional Commands:", "cobra.morecommands"},
		{"Global Flags:", "cobra.globalflags"}, {"Flags:", "cobra.flags"}, {"Additional help topics:", "cobra.topics"},
	} {
		t = strings.TrimPrefix(strings.ReplaceAll("\n"+t, "\n"+h[0], "\n"+l.T(h[1])), "\n")
	}
	seen := map[*pflag.Flag]bool{} // a persistent flag is in each command below its own
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		localizeBuiltin(c, l, name)
		c.SetUsageTemplate(t)
		if !c.DisableFlagsInUseLine && !strings.Contains(c.Use, "[flags]") {
			c.DisableFlagsInUseLine = true
			if c.Annotations == nil {
				c.Annotations = map[string]string{}
			}
			c.Annotations[flagsInUseLine] = "yes"
		}
		c.InitDefaultHelpFlag()
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = l.T("cobra.helpflag", "Command", c.Name())
		}
		for _, fs := range []*pflag.FlagSet{c.Flags(), c.PersistentFlags()} {
			fs.VisitAll(func(f *pflag.Flag) {
				if !seen[f] {
					seen[f] = true
					localizeDefault(f, l)
				}
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd)
}

// flagsInUseLine marks a command whose usage line ends in [flags] when it
// has flags: cobra's own [flags] is turned off for it, and the template
// writes the word in the language.
const flagsInUseLine = "b24org.flags-in-use-line"

// localizeBuiltin says cobra's own help and completion commands in l,
// where c is one of them (name is the program's name, as their texts
// give it).
func localizeBuiltin(c *cobra.Command, l *lang.Language, name string) {
	parent := c.Parent()
	switch {
	case parent == nil:
	case c.Name() == "help" && parent.Parent() == nil:
		c.Use = l.T("cli.help.use")
		c.Short = l.T("cli.help.short")
		c.Long = l.T("cli.help.long", "Command", name)
		c.Run = nil
		c.RunE = func(c *cobra.Command, args []string) error {
			// cobra's help, with its word for a topic it lacks in l.
			cmd, _, err := c.Root().Find(args)
			if cmd == nil || err != nil {
				c.Println(l.T("cli.help.unknown", "Topic", fmt.Sprintf("%#q", args)))
				return c.Root().Usage()
			}
			if cmd.Context() == nil {
				cmd.SetContext(c.Context())
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		}
	case c.Name() == "completion" && parent.Parent() == nil:
		c.Short = l.T("cli.completion.short")
		c.Long = l.T("cli.completion.long", "Command", name)
	case parent.Name() == "completion" && parent.Parent() != nil && parent.Parent().Parent() == nil:
		switch sh := c.Name(); sh {
		case "bash", "zsh", "fish", "powershell":
			c.Short = l.T("cli.completion.shell", "Shell", sh)
			c.Long = l.T("cli.completion."+sh, "Command", name)
			if f := c.Flags().Lookup("no-descriptions"); f != nil {
				f.Usage = l.T("cli.completion.nodesc")
			}
		}
	}
}

// localizeDefault moves the default pflag would write after f's usage,
// "(default 6)", into the usage itself in l, and leaves pflag the zero
// text of f's type, which it writes nothing for. The value itself is
// untouched: only what help says changes.
func localizeDefault(f *pflag.Flag, l *lang.Language) {
	zero, ok := zeroText(f.Value.Type())
	if !ok || f.DefValue == zero || (f.Value.Type() == "duration" && f.DefValue == "0") {
		return
	}
	v := f.DefValue
	if f.Value.Type() == "string" {
		v = strconv.Quote(v)
	}
	f.Usage += " " + l.T("cli.flag.default", "Value", v)
	f.DefValue = zero
}

// zeroText is the text pflag takes for the zero value of a flag type (it
// writes no default for it); false for a type left alone.
func zeroText(typ string) (string, bool) {
	switch typ {
	case "bool":
		return "false", true
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "count":
		return "0", true
	case "duration":
		return "0s", true
	case "string":
		return "", true
	}
	return "", false
}

// FlagError is err, an error of pflag's reading of the command line, as an
// error that says itself in a language (lang.Localized): its English text
// is pflag's own; the errors pflag has types for are said in the reader's
// language (a value of the wrong kind says what kind is wanted), any other
// keeps pflag's words. errors.As still finds pflag's error within.
func FlagError(err error) error {
	if _, ok := err.(flagError); ok || err == nil {
		return err
	}
	return flagError{err}
}

// flagError is an error of pflag that says itself in a language.
type flagError struct{ err error }

// Error is pflag's text.
func (e flagError) Error() string { return e.err.Error() }

// Unwrap is pflag's error.
func (e flagError) Unwrap() error { return e.err }

// In is the text in l.
func (e flagError) In(l *lang.Language) string {
	en := e.err.Error()
	if l == lang.English() {
		return en
	}
	var (
		unknown *pflag.NotExistError
		needs   *pflag.ValueRequiredError
		invalid *pflag.InvalidValueError
		syntax  *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(e.err, &unknown) && unknown.GetSpecifiedName() != "":
		name, group := unknown.GetSpecifiedName(), unknown.GetSpecifiedShortnames()
		if c := strconv.QuoteRune(rune(name[0])); en == fmt.Sprintf("unknown shorthand flag: %s in -%s", c, group) {
			return l.T("cli.flag.unknownshort", "Char", c, "Group", group)
		}
		if en == "unknown flag: --"+name {
			return l.T("cli.flag.unknown", "Name", name)
		}
	case errors.As(e.err, &needs) && needs.GetSpecifiedName() != "":
		if group := needs.GetSpecifiedShortnames(); group != "" {
			return l.T("cli.flag.needsargshort", "Char", strconv.QuoteRune(rune(needs.GetSpecifiedName()[0])), "Group", group)
		}
		return l.T("cli.flag.needsarg", "Name", needs.GetSpecifiedName())
	case errors.As(e.err, &invalid) && invalid.GetFlag() != nil:
		f := invalid.GetFlag()
		name := "--" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			name = "-" + f.Shorthand + ", --" + f.Name
		}
		want := lang.Say(l, errors.Unwrap(invalid))
		switch f.Value.Type() {
		case "duration":
			want = l.T("cli.flag.want.duration")
		case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
			want = l.T("cli.flag.want.int")
		case "bool":
			want = l.T("cli.flag.want.bool")
		}
		return l.T("cli.flag.invalid", "Value", strconv.Quote(invalid.GetValue()), "Flag", name, "Err", want)
	case errors.As(e.err, &syntax):
		return l.T("cli.flag.syntax", "Flag", syntax.GetSpecifiedFlag())
	}
	return en
}
