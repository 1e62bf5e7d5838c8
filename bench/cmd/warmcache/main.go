// Command warmcache prepares the find-versus-fzf measurement of
// BENCHMARKS.md: it starts the fake portal with a generated org, loads the
// whole directory from it through the real client (as `b24org export` does),
// which leaves the disk cache in -cache-dir, writes the same people as one
// line each for fzf to -lines, stops the portal, and prints the webhook URL
// the cache belongs to. The portal is stopped by then, so a `find` pointed at
// that URL can only answer from the cache.
//
//	go run ./bench/cmd/warmcache -people 30000 -departments 1500 -cache-dir D -lines people.txt
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
)

func main() {
	people := flag.Int("people", 30000, "people in the generated org")
	depts := flag.Int("departments", 1500, "departments in the generated org")
	seed := flag.Int64("seed", 1, "generator seed")
	cacheDir := flag.String("cache-dir", "", "where the cache is written (required)")
	lines := flag.String("lines", "", "where the one-line-per-person export for fzf is written (optional)")
	flag.Parse()
	if *cacheDir == "" {
		fmt.Fprintln(os.Stderr, "warmcache: -cache-dir is required")
		os.Exit(2)
	}
	url, err := run(*people, *depts, *seed, *cacheDir, *lines)
	if err != nil {
		fmt.Fprintln(os.Stderr, "warmcache:", err)
		os.Exit(1)
	}
	fmt.Println(url)
}

// run does the work of main and returns the webhook URL of the stopped portal.
func run(people, depts int, seed int64, cacheDir, lines string) (string, error) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: people, Departments: depts, Seed: seed})
	for i := range org.Users {
		// The portal lists active people only; all of them are, so that the
		// cache holds exactly -people people.
		org.Users[i].Active = true
	}
	p, err := fakeportal.Start(org, fakeportal.Options{Rate: -1})
	if err != nil {
		return "", err
	}
	defer p.Close()
	url := p.WebhookURL()
	client, err := api.New(api.Config{WebhookURL: url, Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
	if err != nil {
		return "", err
	}
	d := directory.New(client, directory.Options{CacheDir: cacheDir})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := d.LoadTree(ctx); err != nil {
		return "", err
	}
	o, err := d.LoadAll(ctx, nil)
	if err != nil {
		return "", err
	}
	if w := d.Warnings(); len(w) > 0 {
		return "", fmt.Errorf("the cache was not written: %s", w[0])
	}
	if o.PersonCount() != people {
		return "", fmt.Errorf("loaded %d people, not %d", o.PersonCount(), people)
	}
	if lines != "" {
		if err := writeLines(lines, o); err != nil {
			return "", err
		}
	}
	return url, nil
}

// writeLines writes everyone in o to path, one line each: name, position,
// extension, e-mail, department paths, separated by tabs.
func writeLines(path string, o *directory.Org) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, p := range o.AllPeople() {
		fields := []string{p.Name, p.Position, p.Extension, p.Email, strings.Join(o.DepartmentPaths(p), "; ")}
		w.WriteString(strings.Join(fields, "\t"))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
