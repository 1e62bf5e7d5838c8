// Command portal serves a generated org from the fake portal on 127.0.0.1
// until it is interrupted, then prints what it served: requests per method
// and the rate limiter's refusals. BENCHMARKS.md uses it to measure a whole
// `b24org export` process (requests, wall time, peak memory) against a
// portal that paces like Bitrix24.
//
//	go run ./bench/cmd/portal -people 30000 -departments 1500 -url-file url.txt
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/b24org/b24org/api/fakeportal"
)

func main() {
	people := flag.Int("people", 30000, "people in the generated org")
	depts := flag.Int("departments", 1500, "departments in the generated org")
	seed := flag.Int64("seed", 1, "generator seed")
	rate := flag.Float64("rate", 2, "leaky bucket drain per second (negative: off)")
	burst := flag.Int("burst", 50, "leaky bucket size")
	urlFile := flag.String("url-file", "", "write the webhook URL to this file once serving")
	flag.Parse()

	org := fakeportal.Generate(fakeportal.GenOptions{People: *people, Departments: *depts, Seed: *seed})
	p, err := fakeportal.Start(org, fakeportal.Options{Rate: *rate, Burst: *burst})
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
	defer p.Close()
	fmt.Println(p.WebhookURL())
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(p.WebhookURL()+"\n"), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "portal:", err)
			os.Exit(1)
		}
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop

	reqs := p.Requests()
	methods := make([]string, 0, len(reqs))
	for m := range reqs {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	for _, m := range methods {
		fmt.Printf("%-32s %d\n", m, reqs[m])
	}
	fmt.Printf("%-32s %d\n", "total requests", p.Total())
	fmt.Printf("%-32s %d\n", "QUERY_LIMIT_EXCEEDED refusals", p.Refusals())
}
