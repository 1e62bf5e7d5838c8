package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/internal/serve"
	"github.com/b24org/b24org/lang"
	"github.com/spf13/cobra"
)

// serveCmd builds `b24org serve`: the browser over SSH for many users.
func (a *app) serveCmd() *cobra.Command {
	var o serve.Options
	cmd := &cobra.Command{
		Use:     a.lang().T("cmd.use.serve"),
		Short:   a.lang().T("serve.short"),
		Long:    a.lang().T("cmd.serve.long"),
		Example: "  " + a.lang().T("cmd.serve.example"),
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runServe(cmd.Context(), o)
		},
	}
	dir := filepath.Dir(defaultConfigPath(a.getenv))
	f, l := cmd.Flags(), a.lang()
	f.StringVar(&o.Listen, "listen", serve.DefaultListen, l.T("cmd.serve.flag.listen"))
	f.StringVar(&o.HostKey, "host-key", filepath.Join(dir, "ssh_host_ed25519_key"), l.T("cmd.serve.flag.hostkey"))
	f.StringVar(&o.AuthorizedKeys, "authorized-keys", filepath.Join(dir, "authorized_keys"), l.T("cmd.serve.flag.authkeys"))
	f.IntVar(&o.MaxSessions, "max-sessions", serve.DefaultMaxSessions, l.T("cmd.serve.flag.maxsessions"))
	f.DurationVar(&o.IdleTimeout, "idle-timeout", serve.DefaultIdleTimeout, l.T("cmd.serve.flag.idletimeout"))
	f.DurationVar(&o.MaxSession, "max-session", serve.DefaultMaxSession, l.T("cmd.serve.flag.maxsession"))
	f.IntVar(&o.PerIPPerMinute, "per-ip-per-minute", serve.DefaultPerIPPerMinute, l.T("cmd.serve.flag.perip"))
	f.BoolVar(&o.AllowAnyone, "allow-anyone", false, l.T("cmd.serve.flag.anyone"))
	f.BoolVar(&o.AllowExport, "allow-export", false, l.T("cmd.serve.flag.export"))
	return cmd
}

// runServe serves until ctx ends (SIGINT, SIGTERM), then lets the sessions
// say goodbye and stops.
func (a *app) runServe(ctx context.Context, o serve.Options) error {
	if err := o.Check(); err != nil {
		return err
	}
	s, err := a.settings()
	if err != nil {
		return err
	}
	look, err := newSessionLook(s)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(a.stderr, nil))
	srv, err := serve.New(ctx, serve.Config{
		Options: o, Log: log, Look: look,
		Threshold: s.threshold, RefreshEvery: s.refreshEvery, PresenceAge: s.presenceAge, Background: s.background,
		Freshness: s.freshness, Release: version, StateDir: s.stateDir, Language: s.language,
		Open: func() (*directory.Directory, func(), error) {
			d, closeFn, err := a.open(s)
			if err != nil {
				return nil, nil, err
			}
			if !s.refresh && !s.demo {
				if _, err := d.LoadCache(); err != nil {
					log.Warn("ignoring the directory cache", "err", command.ErrorLine(lang.English(), err))
				}
			}
			return d, closeFn, nil
		},
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	return srv.ListenAndServe()
}
