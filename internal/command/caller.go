package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/safetext"
	"github.com/spf13/cobra"
)

// Caller is one CRM client in the output of caller --json: a public
// contract (README.md, JSON fields).
type Caller struct {
	Type          string  `json:"type"` // contact, company or lead
	ID            int     `json:"id"`
	Name          string  `json:"name"`
	ResponsibleID *int    `json:"responsible_id"`
	Responsible   *Person `json:"responsible"`
	Workday       *string `json:"workday"`
}

// CallerCmd is `b24org caller`.
func (c *Commands) CallerCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "caller [--json] NUMBER...",
		Short: "Print the CRM client that has a phone number, and the employee responsible for it",
		Long: `caller asks the portal's CRM which contacts, companies and leads have the phone
number NUMBER (telephony.externalCall.searchCrmEntities), and prints each
with the employee responsible for it: name, extension and availability
(available, busy, away, off, absent or unknown, with presence, and the
meeting, break or closed workday that decides it), ready to transfer the
call to. The first line is the portal's first choice.

NUMBER may be written as people write it: +7 (495) 123-45-67, 8 495 123 45 67,
0049 30 1234567; the portal compares the numbers. --json prints one JSON
array for scripts and PBX hooks (README.md, JSON fields).

The webhook (or application) needs the telephony scope; without it caller
says so on one line and exits 2.

Exit status: 0 when a client has the number, 1 when none has, 2 on an error
(a missing scope included).`,
		Example: `  b24org caller '+7 (495) 123-45-67'
  b24org caller 8-495-123-45-67
  b24org --demo caller --json 0049 30 1234567 | jq -r '.[0].responsible.extension'
  ssh -p 2222 helpdesk.example caller --json 74951234567`,
		Args: func(_ *cobra.Command, args []string) error {
			if !strings.ContainsAny(cleanQuery(args), "0123456789") {
				return errors.New("caller needs a phone number (see b24org caller --help)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runCaller(cmd.Context(), cleanQuery(args), asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON array of clients ([] when none)")
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return fmt.Errorf("%w (see b24org caller --help)", err)
	})
	return cmd
}

// runCaller looks number up and prints the clients found.
func (c *Commands) runCaller(ctx context.Context, number string, asJSON bool) error {
	r, threshold, err := c.Source.Callers(ctx, number, c.Warn)
	if err != nil {
		if scope, fix, ok := directory.MissingScope(err); ok {
			return fmt.Errorf("caller needs the %s scope, which the webhook lacks: %s", scope, fix)
		}
		return err
	}
	if r.PresenceErr != nil {
		c.Warn(fmt.Sprintf("showing presence as of %s ago: %s", directory.RoughAge(time.Since(r.PresenceAsOf)),
			directory.FailureOf(r.PresenceErr).Line()))
	}
	if r.ScheduleErr != nil {
		c.Warn("availability from presence only: " + directory.FailureOf(r.ScheduleErr).Line())
	} else if r.ScheduleNote != "" {
		c.Warn(r.ScheduleNote)
	}
	now := time.Now()
	out := make([]Caller, 0, len(r.Clients))
	for _, cl := range r.Clients {
		out = append(out, newCaller(cl, r.Schedules[cl.ResponsibleID], r.Org, now, threshold))
	}
	if asJSON {
		err = writeJSON(c.Stdout, out)
	} else {
		err = writeCallers(c.Stdout, out, now)
	}
	if err != nil {
		return fmt.Errorf("writing the result: %w", err)
	}
	if len(out) == 0 {
		if !asJSON {
			c.Warn(fmt.Sprintf("no CRM client has the number %q", safetext.Clean(number)))
		}
		return ErrNoMatch
	}
	return nil
}

// newCaller describes cl as seen at now, with the schedule s of the
// responsible employee (nil: not known).
func newCaller(cl directory.Client, s *directory.Schedule, org *directory.Org, now time.Time, threshold time.Duration) Caller {
	out := Caller{Type: cl.Type, ID: cl.ID, Name: cl.Name}
	if cl.ResponsibleID > 0 {
		id := cl.ResponsibleID
		out.ResponsibleID = &id
	}
	if cl.Responsible != nil {
		p := newPerson(cl.Responsible, s, org, now, threshold)
		out.Responsible = &p
	}
	if cl.Workday != "" {
		w := cl.Workday
		out.Workday = &w
	}
	return out
}

// workdayWords say a workday status in words.
var workdayWords = map[string]string{
	"opened":        "at work",
	"paused":        "on a break",
	"closed":        "finished for today",
	"expired":       "workday not closed",
	"unavailable":   "",
	"not_installed": "",
}

// writeCallers prints one line per client: its name and type, then the
// responsible employee with extension, presence and workday.
func writeCallers(w io.Writer, callers []Caller, now time.Time) error {
	var b strings.Builder
	for _, cl := range callers {
		name := cl.Name
		if name == "" {
			name = "(no name)"
		}
		fmt.Fprintf(&b, "%s (%s %d)", name, cl.Type, cl.ID)
		switch {
		case cl.Responsible != nil:
			p := cl.Responsible
			parts := []string{p.Name}
			if p.Extension != "" {
				parts = append(parts, "ext "+p.Extension)
			}
			parts = append(parts, p.Availability+" ("+status(p, now)+")")
			if cl.Workday != nil && p.Workday == nil {
				if words, ok := workdayWords[*cl.Workday]; !ok {
					parts = append(parts, "workday "+*cl.Workday)
				} else if words != "" {
					parts = append(parts, words)
				}
			}
			if d := department(p); d != "" {
				parts = append(parts, d)
			}
			b.WriteString(": responsible " + strings.Join(parts, ", "))
		case cl.ResponsibleID != nil:
			fmt.Fprintf(&b, ": responsible user %d (not in the directory)", *cl.ResponsibleID)
		default:
			b.WriteString(": no responsible employee")
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
