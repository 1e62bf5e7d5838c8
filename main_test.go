package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/stretchr/testify/require"
)

// testVersion is stamped into the test binary with -ldflags.
const testVersion = "v0.0.0-test"

// testCode is the webhook code of the test portals: it must never be printed.
const testCode = "s3cr3tW3bh00kC0de"

// testBinaryPath is the b24org binary built once by TestMain.
var testBinaryPath string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// buildAndRun builds the binary into a temporary directory, runs the tests
// and removes the directory.
func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "b24org-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	testBinaryPath = filepath.Join(dir, "b24org")
	build := exec.Command("go", "build", "-ldflags", "-X main.version="+testVersion, "-o", testBinaryPath, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building b24org:", err)
		return 2
	}
	return m.Run()
}

// result is what one run of the binary printed and its exit code.
type result struct {
	stdout, stderr string
	code           int
}

// all is everything the run printed.
func (r result) all() string { return r.stdout + r.stderr }

// runEnv is a clean environment for the binary: its own HOME, config and
// cache directories, and no portal.
type runEnv struct {
	home, config, cache string
	vars                []string
}

// newRunEnv returns a clean environment under a temporary directory.
func newRunEnv(t *testing.T) *runEnv {
	t.Helper()
	root := t.TempDir()
	e := &runEnv{
		home:   filepath.Join(root, "home"),
		config: filepath.Join(root, "config"),
		cache:  filepath.Join(root, "cache"),
	}
	for _, d := range []string{e.home, e.config, e.cache} {
		require.NoError(t, os.MkdirAll(d, 0o700))
	}
	e.vars = []string{
		"HOME=" + e.home, "XDG_CONFIG_HOME=" + e.config, "XDG_CACHE_HOME=" + e.cache,
		"PATH=" + os.Getenv("PATH"), "TERM=dumb",
	}
	return e
}

// with returns a copy of e with more environment variables.
func (e *runEnv) with(vars ...string) *runEnv {
	c := *e
	c.vars = append(append([]string{}, e.vars...), vars...)
	return &c
}

// configFile is where the binary looks for its config file in e.
func (e *runEnv) configFile() string { return filepath.Join(e.config, "b24org", "config.yaml") }

// writeConfig writes the default config file with mode 0600.
func (e *runEnv) writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := e.configFile()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// run runs the binary with args in e.
func (e *runEnv) run(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, testBinaryPath, args...)
	cmd.Env = e.vars
	cmd.Dir = e.home
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	default:
		require.NoError(t, err, "running b24org %v", args)
	}
	return r
}

// testOrg is a small generated org: fast to load, varied enough to find in.
func testOrg(now time.Time) *fakeportal.Org {
	return fakeportal.Generate(fakeportal.GenOptions{People: 150, Departments: 14, Seed: 11, Now: now})
}

// startPortal serves org on loopback with the test webhook code until the test ends.
func startPortal(t *testing.T, org *fakeportal.Org, o fakeportal.Options) *fakeportal.Portal {
	t.Helper()
	if o.WebhookCode == "" {
		o.WebhookCode = testCode
	}
	if o.Rate == 0 {
		o.Rate = -1
	}
	p, err := fakeportal.Start(org, o)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	return p
}

// requireOneErrorLine checks a failed run: exit 2, nothing on stdout, one
// "b24org: " line on stderr, and none of the secrets anywhere.
func requireOneErrorLine(t *testing.T, r result, secrets ...string) {
	t.Helper()
	require.Equal(t, 2, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	require.Empty(t, r.stdout)
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	require.Len(t, lines, 1, "stderr: %q", r.stderr)
	require.True(t, strings.HasPrefix(lines[0], "b24org: "), "stderr: %q", r.stderr)
	requireNoSecret(t, r, secrets...)
}

// requireNoSecret checks that no secret appears in anything the run printed.
func requireNoSecret(t *testing.T, r result, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, testCode) {
		require.NotContains(t, r.all(), s, "a secret was printed")
	}
}

func TestVersion(t *testing.T) {
	r := newRunEnv(t).run(t, "version")
	require.Equal(t, 0, r.code, r.stderr)
	require.True(t, strings.HasPrefix(r.stdout, "b24org "+testVersion+"\n"), r.stdout)
	require.Contains(t, r.stdout, "go1.")
}

func TestHelpHasExamples(t *testing.T) {
	e := newRunEnv(t)
	for _, args := range [][]string{{"--help"}, {"find", "--help"}, {"export", "--help"}, {"version", "--help"}} {
		r := e.run(t, args...)
		require.Equal(t, 0, r.code, "%v: %s", args, r.stderr)
		require.Contains(t, r.stdout, "Examples:", "%v", args)
		require.Contains(t, r.stdout, "Usage:", "%v", args)
	}
}

func TestUsageErrors(t *testing.T) {
	e := newRunEnv(t)
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"fnd", "anna"},
		{"find"},
		{"find", "  "},
		{"export", "--format", "xml"},
		{"--rate", "premium", "find", "x"},
	} {
		r := e.run(t, args...)
		requireOneErrorLine(t, r)
	}
}

func TestNoPortalSaysHowToConfigure(t *testing.T) {
	e := newRunEnv(t)
	r := e.run(t, "find", "anna")
	requireOneErrorLine(t, r)
	require.Contains(t, r.stderr, "--webhook https://")
	require.Contains(t, r.stderr, "B24_WEBHOOK_URL")
	require.Contains(t, r.stderr, e.configFile())
}

func TestBrowserNeedsTerminal(t *testing.T) {
	r := newRunEnv(t).run(t, "--demo")
	requireOneErrorLine(t, r)
	require.Contains(t, r.stderr, "terminal")
}
