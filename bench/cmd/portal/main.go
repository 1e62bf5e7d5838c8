// Command portal serves a generated org from the fake portal on 127.0.0.1
// until it is interrupted, then prints what it served: requests per method
// and the rate limiter's refusals. BENCHMARKS.md uses it to measure a whole
// `b24org export` process (requests, wall time, peak memory) against a
// portal that paces like Bitrix24.
//
//	go run ./bench/cmd/portal -people 30000 -departments 1500 -url-file url.txt
//
// With -cost-object the portal spends server time per object returned
// (fakeportal.Cost): a cut-off per request (-cut-off), a budget per method
// (-budget per -window), all multiplied by -scale; the counters then add
// the cut-offs, the 429s and the server time per method.
//
//	go run ./bench/cmd/portal -people 30000 -cost-object 1ms -scale 0.1 -url-file url.txt
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
)

func main() {
	people := flag.Int("people", 30000, "people in the generated org")
	depts := flag.Int("departments", 1500, "departments in the generated org")
	seed := flag.Int64("seed", 1, "generator seed")
	rate := flag.Float64("rate", 2, "leaky bucket drain per second (negative: off)")
	burst := flag.Int("burst", 50, "leaky bucket size")
	urlFile := flag.String("url-file", "", "write the webhook URL to this file once serving")
	perObject := flag.Duration("cost-object", 0, "server time per im user object returned (0: no cost model)")
	perID := flag.Duration("cost-id", 0, "server time per other object returned (IDs, departments); default cost-object/50")
	cutOff := flag.Duration("cut-off", 60*time.Second, "per-request cut-off (before -scale)")
	budget := flag.Duration("budget", 480*time.Second, "operating time per method per window (before -scale; negative: none)")
	window := flag.Duration("window", 10*time.Minute, "operating-time window (before -scale)")
	scale := flag.Float64("scale", 1, "multiplies every duration of the cost model")
	chargeBatch := flag.Bool("charge-batch", false, "charge a batch's time to `batch` itself, not to its inner methods")
	flag.Parse()

	opts := fakeportal.Options{Rate: *rate, Burst: *burst}
	if *perObject > 0 {
		if *perID <= 0 {
			*perID = *perObject / 50
		}
		opts.Cost = &fakeportal.Cost{
			PerObject: map[string]time.Duration{
				"im.user.list.get": *perObject, "im.user.get": *perObject, "im.search.user.list": *perObject,
			},
			Default: *perID, CutOff: *cutOff, Budget: *budget, Window: *window, Scale: *scale, ChargeBatch: *chargeBatch,
		}
	}
	org := fakeportal.Generate(fakeportal.GenOptions{People: *people, Departments: *depts, Seed: *seed})
	p, err := fakeportal.Start(org, opts)
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
	if opts.Cost == nil {
		return
	}
	_, b, _ := p.CostLimits()
	fmt.Printf("%-32s %d\n", "cut-offs (504)", p.CutOffs())
	fmt.Printf("%-32s %d\n", "OPERATION_TIME_LIMIT (429)", p.OperatingRefusals())
	fmt.Printf("%-32s %s\n", "largest request server time", p.MaxRequestTime().Round(time.Millisecond))
	st := p.ServerTime()
	names := make([]string, 0, len(st))
	for m := range st {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, m := range names {
		share := ""
		if b > 0 {
			share = fmt.Sprintf(" (peak %.0f%% of the budget in one window)", 100*p.PeakOperating(m).Seconds()/b.Seconds())
		}
		fmt.Printf("server time %-20s %s%s\n", m, st[m].Round(time.Millisecond), share)
	}
}
