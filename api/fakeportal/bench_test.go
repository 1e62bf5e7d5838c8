package fakeportal_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
)

// BenchmarkServe measures small requests through real HTTP on loopback.
func BenchmarkServe(b *testing.B) {
	p := start(b, fakeportal.Generate(fakeportal.GenOptions{People: 30000, Seed: 1, Now: now}), fakeportal.Options{Now: time.Now})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	url := p.WebhookURL() + "im.department.employees.get?ID[]=5"
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(url)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkServeUserPage measures a full user.get page of a 30,000-person org.
func BenchmarkServeUserPage(b *testing.B) {
	p := start(b, fakeportal.Generate(fakeportal.GenOptions{People: 30000, Seed: 1, Now: now}), fakeportal.Options{Now: time.Now})
	url := p.WebhookURL() + "user.get?FILTER[ACTIVE]=Y&start=15000"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkGenerate30k measures generating a 30,000-person org.
func BenchmarkGenerate30k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		fakeportal.Generate(fakeportal.GenOptions{People: 30000, Seed: int64(i), Now: now})
	}
}
