package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/b24org/b24org/directory"
	"github.com/charmbracelet/ssh"
)

// serveUntilDone serves c until ctx ends (SIGINT, SIGTERM), then lets the
// sessions say goodbye and stops. It reads the authorized and host keys,
// then opens the directory with open; the server reloads it every freshness.
func serveUntilDone(ctx context.Context, c serverConfig, freshness time.Duration,
	open func() (*directory.Directory, func(), error)) error {
	var keys *authorizedKeys
	var err error
	if !c.opts.allowAnyone {
		if keys, err = newAuthorizedKeys(c.opts.authorizedKeys, c.log); err != nil {
			return err
		}
	}
	hostKey, created, err := loadHostKey(c.opts.hostKey)
	if err != nil {
		return err
	}
	if created {
		c.log.Info("created the host key", "path", c.opts.hostKey)
	}
	d, closeFn, err := open()
	if err != nil {
		return err
	}
	defer closeFn()

	c.dir, c.keys = d, keys
	srv := newSSHServer(ctx, c)
	server, err := srv.sshServer(hostKey)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.opts.listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	go func() {
		srv.load(ctx)
		srv.reload(ctx, freshness)
	}()
	srv.logStart(ln.Addr().String(), hostKey)

	served := make(chan error, 1)
	go func() { served <- server.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	c.log.Info("shutting down", "sessions", srv.active.Load())
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
