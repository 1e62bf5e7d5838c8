package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/internal/command"
	"github.com/spf13/cobra"
)

// serveCmd builds `b24org serve`: the browser over SSH for many users.
func (a *app) serveCmd() *cobra.Command {
	var o serveOptions
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

Commands over SSH: find [--json] QUERY..., export [--format json|csv] (only
with --allow-export), help, version.`,
		Example: `  b24org serve --authorized-keys ~/.ssh/authorized_keys
  b24org --demo serve --listen 127.0.0.1:2222 --allow-anyone
  ssh -p 2222 localhost            # the browser
  ssh -p 2222 localhost find 1042  # one answer`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runServe(cmd.Context(), o)
		},
	}
	dir := filepath.Dir(defaultConfigPath(a.getenv))
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", defaultListen, "address to listen on")
	f.StringVar(&o.hostKey, "host-key", filepath.Join(dir, "ssh_host_ed25519_key"), "the server's private key, created (mode 0600) when missing")
	f.StringVar(&o.authorizedKeys, "authorized-keys", filepath.Join(dir, "authorized_keys"), "public keys allowed to log in, one a line (OpenSSH format)")
	f.IntVar(&o.maxSessions, "max-sessions", defaultMaxSessions, "most sessions at once")
	f.DurationVar(&o.idleTimeout, "idle-timeout", defaultIdleTimeout, "a browser session without a keystroke this long is closed")
	f.DurationVar(&o.maxSession, "max-session", defaultMaxSession, "longest a session may last")
	f.IntVar(&o.perIPPerMinute, "per-ip-per-minute", defaultPerIPPerMinute, "most new connections from one address per minute (0: no limit)")
	f.BoolVar(&o.allowAnyone, "allow-anyone", false, "accept any public key (only on a loopback address)")
	f.BoolVar(&o.allowExport, "allow-export", false, "allow the export command")
	return cmd
}

// runServe serves until ctx ends (SIGINT, SIGTERM), then lets the sessions
// say goodbye and stops.
func (a *app) runServe(ctx context.Context, o serveOptions) error {
	if err := o.check(); err != nil {
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
	c := serverConfig{
		opts: o, log: log, look: look,
		threshold: s.threshold, refreshEvery: s.refreshEvery, presenceAge: s.presenceAge, background: s.background,
		release: version,
	}
	return serveUntilDone(ctx, c, s.freshness, func() (*directory.Directory, func(), error) {
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
	})
}
