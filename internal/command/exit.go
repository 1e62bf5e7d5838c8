package command

import "errors"

// ExitCode is the exit status of a command that returned err, on the
// command line as over SSH: ExitOK for nil, ExitNoMatch for ErrNoMatch
// (wrapped or not), ExitError for any other error.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrNoMatch):
		return ExitNoMatch
	}
	return ExitError
}
