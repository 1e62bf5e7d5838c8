package command

import (
	"strconv"

	"github.com/b24org/b24org/lang"
	"github.com/spf13/cobra"
)

// noArgs is cobra.NoArgs, its refusal a catalog error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return lang.NewError("cmd.noargs", "Command", strconv.Quote(args[0]), "Path", strconv.Quote(cmd.CommandPath()))
	}
	return nil
}
