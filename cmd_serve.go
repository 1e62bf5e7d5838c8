package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
	"github.com/b24org/b24org/internal/serve"
	"github.com/spf13/cobra"
)

// serveCmd builds `b24org serve`: the browser over SSH for many users.
func (a *app) serveCmd() *cobra.Command {
	var o serve.Options
	cmd := &cobra.Command{
		Use:   "serve [--listen ADDR] [--host-key PATH] [--authorized-keys PATH]",
		Short: "Serve the browser over SSH",
		Long: `serve runs an SSH server: a user who connects with a terminal gets the
browser; a command (ssh HOST find anna) gets its answer like the local find.
All sessions share one directory and one portal client, so a hundred people
looking at the same department cost the portal one request.

Only public keys in the authorized_keys file may log in (the file is read
again when it changes); passwords, port, agent and X11 forwarding and
subsystems (sftp) are refused. The host key is created when missing.

Commands over SSH: find [--json] QUERY..., caller [--json] NUMBER, export
[--format json|csv|vcf|mermaid] (only with --allow-export), help, version.
A terminal session gets the browser as plain lines, for screen readers and
logs, when the client sends ACCESSIBLE=1 (ssh -o SetEnv=ACCESSIBLE=1 -t) or
runs the command --plain (ssh -t HOST -- --plain).`,
		Example: `  b24org serve --authorized-keys ~/.ssh/authorized_keys
  b24org --demo serve --listen 127.0.0.1:2222 --allow-anyone
  ssh -p 2222 localhost            # the browser
  ssh -t -p 2222 localhost -- --plain  # the browser as plain lines
  ssh -p 2222 localhost find 1042  # one answer`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runServe(cmd.Context(), o)
		},
	}
	dir := filepath.Dir(defaultConfigPath(a.getenv))
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", serve.DefaultListen, "address to listen on")
	f.StringVar(&o.HostKey, "host-key", filepath.Join(dir, "ssh_host_ed25519_key"), "the server's private key, created (mode 0600) when missing")
	f.StringVar(&o.AuthorizedKeys, "authorized-keys", filepath.Join(dir, "authorized_keys"), "public keys allowed to log in, one a line (OpenSSH format)")
	f.IntVar(&o.MaxSessions, "max-sessions", serve.DefaultMaxSessions, "most sessions at once")
	f.DurationVar(&o.IdleTimeout, "idle-timeout", serve.DefaultIdleTimeout, "a browser session without a keystroke this long is closed")
	f.DurationVar(&o.MaxSession, "max-session", serve.DefaultMaxSession, "longest a session may last")
	f.IntVar(&o.PerIPPerMinute, "per-ip-per-minute", serve.DefaultPerIPPerMinute, "most new connections from one address per minute (0: no limit)")
	f.BoolVar(&o.AllowAnyone, "allow-anyone", false, "accept any public key (only on a loopback address)")
	f.BoolVar(&o.AllowExport, "allow-export", false, "allow the export command")
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
		Freshness: s.freshness, Release: version, StateDir: s.stateDir,
		Open: func() (*directory.Directory, func(), error) {
			d, closeFn, err := a.open(s)
			if err != nil {
				return nil, nil, err
			}
			if !s.refresh && !s.demo {
				if _, err := d.LoadCache(); err != nil {
					log.Warn("ignoring the directory cache", "err", command.ErrorLine(err))
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
