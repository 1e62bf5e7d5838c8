package command

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// VersionCmd is `b24org version`.
func (c *Commands) VersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   c.lang().T("version.short"),
		Example: "  b24org version",
		Args:    noArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprint(c.Stdout, VersionText(c.Release))
			return err
		},
	}
}

// VersionText is the version v ("dev": the module's version when the
// build recorded one), then the build's Go version, platform and source
// revision when the build recorded them.
func VersionText(v string) string {
	bi, ok := debug.ReadBuildInfo()
	if ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	var b strings.Builder
	fmt.Fprintf(&b, "b24org %s\n%s %s/%s\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if !ok {
		return b.String()
	}
	vcs := map[string]string{}
	for _, s := range bi.Settings {
		vcs[s.Key] = s.Value
	}
	if rev := vcs["vcs.revision"]; rev != "" {
		fmt.Fprintf(&b, "commit %s", rev)
		if t := vcs["vcs.time"]; t != "" {
			fmt.Fprintf(&b, " (%s)", t)
		}
		if vcs["vcs.modified"] == "true" {
			b.WriteString(" with local changes")
		}
		b.WriteByte('\n')
	}
	return b.String()
}
