package main

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// listedPackage is what `go list -json` says of a package that the layer
// rules look at.
type listedPackage struct {
	ImportPath   string
	Imports      []string
	Deps         []string
	TestImports  []string
	XTestImports []string
}

// listPackages runs `go list -deps -json` over the module, as a reader of
// the layout would, and keeps the module's own packages.
func listPackages(t *testing.T) map[string]listedPackage {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-test=false", "-json", "./...").Output()
	require.NoError(t, err, "go list")
	pkgs := map[string]listedPackage{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listedPackage
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if p.ImportPath == module || strings.HasPrefix(p.ImportPath, module+"/") {
			pkgs[p.ImportPath] = p
		}
	}
	require.Contains(t, pkgs, module+"/ui")
	return pkgs
}

const module = "github.com/b24org/b24org"

// TestLayers holds the layout to its rules: the server and the commands
// never reach back into the program's root, the browser talks to the
// directory and not to the portal client, and only the root starts a
// server.
func TestLayers(t *testing.T) {
	pkgs := listPackages(t)
	for _, inner := range []string{"/internal/serve", "/internal/command"} {
		p, ok := pkgs[module+inner]
		require.True(t, ok, "package %s exists", inner)
		require.NotContains(t, p.Deps, module, "%s depends on the root package", inner)
	}
	require.NotContains(t, pkgs[module+"/ui"].Imports, module+"/api", "ui imports api; it should go through directory")
	for path, p := range pkgs {
		if path == module || path == module+"/internal/serve" {
			continue
		}
		all := slices.Concat(p.Imports, p.TestImports, p.XTestImports)
		require.NotContains(t, all, module+"/internal/serve", "%s imports internal/serve; only the root may", path)
	}
}
