package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/b24org/b24org/internal/command"
	"log/slog"
	"net"

	"github.com/charmbracelet/ssh"
)

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
	var keys *authorizedKeys
	if !o.allowAnyone {
		if keys, err = newAuthorizedKeys(o.authorizedKeys, log); err != nil {
			return err
		}
	}
	hostKey, created, err := loadHostKey(o.hostKey)
	if err != nil {
		return err
	}
	if created {
		log.Info("created the host key", "path", o.hostKey)
	}
	d, closeFn, err := a.open(s)
	if err != nil {
		return err
	}
	defer closeFn()
	if !s.refresh && !s.demo {
		if _, err := d.LoadCache(); err != nil {
			log.Warn("ignoring the directory cache", "err", command.ErrorLine(err))
		}
	}

	srv := newSSHServer(ctx, serverConfig{
		opts: o, dir: d, log: log, look: look, keys: keys,
		threshold: s.threshold, refreshEvery: s.refreshEvery, presenceAge: s.presenceAge, background: s.background,
		release: version,
	})
	server, err := srv.sshServer(hostKey)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	go func() {
		srv.load(ctx)
		srv.reload(ctx, s.freshness)
	}()
	srv.logStart(ln.Addr().String(), hostKey)

	served := make(chan error, 1)
	go func() { served <- server.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "sessions", srv.active.Load())
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(stop); err != nil {
		_ = server.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, ssh.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
