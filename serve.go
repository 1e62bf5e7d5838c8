package main

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
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
