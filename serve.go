package main

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// Defaults of serve.
const (
	defaultListen         = "127.0.0.1:2222"
	defaultMaxSessions    = 100
	defaultIdleTimeout    = 30 * time.Minute
	defaultMaxSession     = 8 * time.Hour
	defaultPerIPPerMinute = 30
	shutdownGrace         = 5 * time.Second
)

// serveOptions are the flags of serve.
type serveOptions struct {
	listen         string
	hostKey        string
	authorizedKeys string
	maxSessions    int
	idleTimeout    time.Duration
	maxSession     time.Duration
	perIPPerMinute int
	allowAnyone    bool
	allowExport    bool
	handshake      time.Duration // to connect and log in (no flag; 0: handshakeTimeout); tests shorten it
}

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

// check validates the options.
func (o serveOptions) check() error {
	switch {
	case o.maxSessions < 1:
		return errors.New("--max-sessions must be at least 1")
	case o.idleTimeout <= 0:
		return errors.New("--idle-timeout must be positive")
	case o.maxSession <= 0:
		return errors.New("--max-session must be positive")
	case o.perIPPerMinute < 0:
		return errors.New("--per-ip-per-minute must not be negative")
	case o.allowAnyone && !isLoopback(o.listen):
		return fmt.Errorf("--allow-anyone is only accepted on a loopback address such as %s, not %q", defaultListen, o.listen)
	}
	return nil
}

// isLoopback reports whether the listen address addr names a loopback host.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
