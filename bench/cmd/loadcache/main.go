// Command loadcache measures what start-up does with a warm cache, in a
// process of its own: it loads the disk cache of the portal behind -webhook
// (written by warmcache; the portal need not run) into a Directory, searches
// it once and sorts every department's people, as the browser's first
// screens do, then prints the people loaded, the time the load took, and the
// process's resident set now and at its peak.
//
//	go run ./bench/cmd/loadcache -cache-dir D -webhook URL
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/directory"
)

func main() {
	cacheDir := flag.String("cache-dir", "", "the cache directory warmcache wrote (required)")
	webhook := flag.String("webhook", "", "the webhook URL warmcache printed (required)")
	flag.Parse()
	if err := run(*cacheDir, *webhook); err != nil {
		fmt.Fprintln(os.Stderr, "loadcache:", err)
		os.Exit(1)
	}
}

func run(cacheDir, webhook string) error {
	if cacheDir == "" || webhook == "" {
		return fmt.Errorf("-cache-dir and -webhook are required")
	}
	client, err := api.New(api.Config{WebhookURL: webhook})
	if err != nil {
		return err
	}
	d := directory.New(client, directory.Options{CacheDir: cacheDir})
	start := time.Now()
	ok, err := d.LoadCache()
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no cache for %s in %s", client.Portal(), cacheDir)
	}
	loaded := time.Since(start)
	o := d.Snapshot()
	o.Search("ivanov", 20)
	for _, dep := range o.Departments() {
		o.People(dep.ID)
	}
	runtime.GC()
	fmt.Printf("people %d  load %.1f ms  rss %.1f MB  peak rss %.1f MB\n",
		o.PersonCount(), float64(loaded.Microseconds())/1000, status("VmRSS"), status("VmHWM"))
	runtime.KeepAlive(d)
	return nil
}

// status returns a memory figure of /proc/self/status in MiB (0 where there
// is no /proc).
func status(key string) float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(rest), "%f kB", &kb)
			return kb / 1024
		}
	}
	return 0
}
