package command

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/lang"
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
		Use:   c.lang().T("cmd.use.caller"),
		Short: c.lang().T("caller.short"),
		Long:  c.lang().T("caller.long"),
		Example: `  b24org caller '+7 (495) 123-45-67'
  b24org caller 8-495-123-45-67
  b24org --demo caller --json 0049 30 1234567 | jq -r '.[0].responsible.extension'
  ssh -p 2222 helpdesk.example caller --json 74951234567`,
		Args: func(_ *cobra.Command, args []string) error {
			if !strings.ContainsAny(cleanQuery(args), "0123456789") {
				return lang.NewError("cmd.caller.nonumber", "Run", c.invocation("caller"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runCaller(cmd.Context(), cleanQuery(args), asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, c.lang().T("caller.flag.json"))
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return lang.NewError("cmd.caller.flagerr", "Err", FlagError(err), "Run", c.invocation("caller"))
	})
	return cmd
}

// runCaller looks number up and prints the clients found.
func (c *Commands) runCaller(ctx context.Context, number string, asJSON bool) error {
	r, threshold, err := c.Source.Callers(ctx, number, c.Warn)
	if err != nil {
		if scope, _, ok := directory.MissingScope(lang.English(), err); ok {
			return lang.NewError("cmd.caller.scope", "Scope", scope, "Fix", scopeFix{err})
		}
		return err
	}
	if r.PresenceErr != nil {
		c.Warn(c.lang().T("find.presenceage", "Age", c.lang().RoughAge(time.Since(r.PresenceAsOf)),
			"Err", directory.FailureOf(c.lang(), r.PresenceErr).Line()))
	}
	if r.ScheduleErr != nil {
		c.Warn(c.lang().T("avail.presenceonly", "Why", directory.FailureOf(c.lang(), r.ScheduleErr).Line()))
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
		err = writeCallers(c.Stdout, c.lang(), out, now)
	}
	if err != nil {
		return lang.NewError("cmd.write.result", "Err", err)
	}
	if len(out) == 0 {
		if !asJSON {
			c.Warn(c.lang().T("caller.none", "Number", safetext.Clean(number)))
		}
		return ErrNoMatch
	}
	return nil
}

// scopeFix says, in each language, where to add the scope whose lack made
// the portal refuse err (directory.MissingScope's sentence). It is a value
// of caller's error, not a cause: the refusal itself is not wrapped, so
// that the error line does not say the fix twice.
type scopeFix struct{ err error }

// Error is the fix in English.
func (f scopeFix) Error() string { return f.In(lang.English()) }

// In is the fix in l.
func (f scopeFix) In(l *lang.Language) string {
	_, fix, _ := directory.MissingScope(l, f.err)
	return fix
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

// workdayWords are the catalog ids of the words of a workday status; ""
// says nothing.
var workdayWords = map[string]string{
	"opened":        "caller.workday.opened",
	"paused":        "caller.workday.paused",
	"closed":        "caller.workday.closed",
	"expired":       "caller.workday.expired",
	"unavailable":   "",
	"not_installed": "",
}

// clientTypes are the catalog ids of the CRM client types.
var clientTypes = map[string]string{
	"contact": "caller.type.contact",
	"company": "caller.type.company",
	"lead":    "caller.type.lead",
}

// writeCallers prints one line per client: its name and type, then the
// responsible employee with extension, presence and workday.
func writeCallers(w io.Writer, l *lang.Language, callers []Caller, now time.Time) error {
	var b strings.Builder
	for _, cl := range callers {
		name := cl.Name
		if name == "" {
			name = l.T("name.none")
		}
		typ := cl.Type
		if id, ok := clientTypes[typ]; ok {
			typ = l.T(id)
		}
		fmt.Fprintf(&b, "%s (%s %d)", name, typ, cl.ID)
		switch {
		case cl.Responsible != nil:
			p := cl.Responsible
			parts := []string{p.Name}
			if p.Extension != "" {
				parts = append(parts, l.T("contact.ext", "Value", p.Extension))
			}
			parts = append(parts, directory.StateIn(l, p.Availability, p.gender)+" ("+status(l, p, now)+")")
			if cl.Workday != nil && p.Workday == nil {
				if id, ok := workdayWords[*cl.Workday]; !ok {
					parts = append(parts, l.T("caller.workday.other", "Status", *cl.Workday))
				} else if id != "" {
					parts = append(parts, l.T(id))
				}
			}
			if d := department(p); d != "" {
				parts = append(parts, d)
			}
			b.WriteString(l.T("caller.responsible", "Who", strings.Join(parts, ", ")))
		case cl.ResponsibleID != nil:
			b.WriteString(l.T("caller.responsible.unknown", "ID", *cl.ResponsibleID))
		default:
			b.WriteString(l.T("caller.responsible.none"))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
