package command

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/b24org/b24org/lang"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// FlagError is err, an error of cobra's flag parsing (pflag's: an unknown
// flag, a flag without its value, a value that does not parse), said in
// each language: its Error is pflag's English text, lang.Say's is the
// catalog's. The error is what it wraps. Any other error is returned as
// it is.
func FlagError(err error) error {
	var (
		unknown  *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	if errors.As(err, &unknown) || errors.As(err, &required) || errors.As(err, &invalid) || errors.As(err, &syntax) {
		return flagError{err}
	}
	return err
}

// flagError is a pflag error with its words from the catalogs.
type flagError struct{ err error }

// Error is pflag's English text.
func (e flagError) Error() string { return e.err.Error() }

// Unwrap returns pflag's error.
func (e flagError) Unwrap() error { return e.err }

// In says the error in l: pflag's words, when they are the ones the
// catalogs say (so English stays pflag's own), with the flag, the value
// and the value's own error (said in l) as pflag gives them.
func (e flagError) In(l *lang.Language) string {
	en := e.err.Error()
	var (
		unknown  *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	said := func(id string, kv ...any) string {
		if lang.English().T(id, kv...) != en {
			return en // pflag says something the catalogs do not
		}
		return l.T(id, kv...)
	}
	switch {
	case errors.As(e.err, &unknown) && unknown.GetSpecifiedShortnames() == "":
		return said("cmd.flag.unknown", "Flag", "--"+unknown.GetSpecifiedName())
	case errors.As(e.err, &unknown) && unknown.GetSpecifiedName() != "":
		return said("cmd.flag.unknownshort", "Flag", strconv.QuoteRune([]rune(unknown.GetSpecifiedName())[0]),
			"Group", "-"+unknown.GetSpecifiedShortnames())
	case errors.As(e.err, &required) && required.GetSpecifiedShortnames() == "":
		return said("cmd.flag.novalue", "Flag", "--"+required.GetSpecifiedName())
	case errors.As(e.err, &required) && required.GetSpecifiedName() != "":
		return said("cmd.flag.novalueshort", "Flag", strconv.QuoteRune([]rune(required.GetSpecifiedName())[0]),
			"Group", "-"+required.GetSpecifiedShortnames())
	case errors.As(e.err, &invalid) && invalid.GetFlag() != nil:
		f := invalid.GetFlag()
		name := "--" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			name = fmt.Sprintf("-%s, --%s", f.Shorthand, f.Name)
		}
		cause := errors.Unwrap(invalid)
		if cause == nil {
			return en
		}
		return said("cmd.flag.invalid", "Value", strconv.Quote(invalid.GetValue()), "Flag", strconv.Quote(name), "Err", cause)
	case errors.As(e.err, &syntax):
		return said("cmd.flag.syntax", "Flag", syntax.GetSpecifiedFlag())
	}
	return en
}

// noArgs is cobra.NoArgs, its refusal a catalog error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return lang.NewError("cmd.noargs", "Command", strconv.Quote(args[0]), "Path", strconv.Quote(cmd.CommandPath()))
	}
	return nil
}
