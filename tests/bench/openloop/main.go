// Open-loop HTTP load: GETs sent on a fixed schedule, latency measured from the intended
// send time, so a stall is charged to every request that was due during it (coordinated
// omission corrected). Run by tests/bench/clients/bench_latency.py; Go rather than Python
// because at a thousand requests a second a Python client needs a good part of one of the
// machine's two cores and falls behind its own schedule.
//
//	go run ./tests/bench/openloop -rate 500 -seconds 10 -header "Authorization: Bearer ..." URL...
//
// Prints one JSON object: sent, answered, errors, non_2xx, the percentiles (ms) of the
// latencies, and the p99 of how late the generator itself sent (which it charges to the
// server, so a figure means something only while that stays small).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

type headers []string

func (h *headers) String() string     { return strings.Join(*h, ", ") }
func (h *headers) Set(v string) error { *h = append(*h, v); return nil }

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)) * p / 100)
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

// Result is what one run measured; latencies in milliseconds from the intended send time.
type Result struct {
	Rate         float64 `json:"rate"`
	Sent         int     `json:"sent"`
	Answered     int     `json:"answered"`
	Errors       int     `json:"errors"`
	Non2xx       int     `json:"non_2xx"`
	AchievedRate float64 `json:"achieved_rate"`
	P50          float64 `json:"p50"`
	P99          float64 `json:"p99"`
	P999         float64 `json:"p999"`
	Max          float64 `json:"max"`
	SendLagP99   float64 `json:"send_lag_p99"`
}

// Run sends GETs of urls in turn at rate per second for seconds, on schedule, over at most
// connections keep-alive connections (a request due while all are busy waits for one, and
// that wait counts in its latency).
func Run(urls []string, hdrs []string, rate, seconds float64, connections int) Result {
	client := &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{MaxConnsPerHost: connections, MaxIdleConnsPerHost: connections,
			MaxIdleConns: connections, DisableCompression: true},
	}
	total := int(rate * seconds)
	latencies := make([]float64, 0, total)
	lags := make([]float64, 0, total)
	var mu sync.Mutex
	var wg sync.WaitGroup
	errors, non2xx := 0, 0
	start := time.Now().Add(50 * time.Millisecond)
	for i := 0; i < total; i++ {
		due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		wg.Add(1)
		go func(i int, due time.Time) {
			defer wg.Done()
			lag := time.Since(due)
			req, _ := http.NewRequest("GET", urls[i%len(urls)], nil)
			for _, h := range hdrs {
				name, value, _ := strings.Cut(h, ":")
				req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
			}
			resp, err := client.Do(req)
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			took := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			lags = append(lags, float64(lag.Microseconds())/1000)
			if err != nil {
				errors++
				return
			}
			if resp.StatusCode/100 != 2 {
				non2xx++
			}
			latencies = append(latencies, float64(took.Microseconds())/1000)
		}(i, due)
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	sort.Float64s(latencies)
	sort.Float64s(lags)
	return Result{Rate: rate, Sent: total, Answered: len(latencies), Errors: errors,
		Non2xx: non2xx, AchievedRate: float64(len(latencies)) / elapsed,
		P50: percentile(latencies, 50), P99: percentile(latencies, 99),
		P999: percentile(latencies, 99.9), Max: percentile(latencies, 100),
		SendLagP99: percentile(lags, 99)}
}

func main() {
	rate := flag.Float64("rate", 100, "requests per second")
	seconds := flag.Float64("seconds", 10, "how long to send")
	// As many as a client's pool would hold (the portal's holds 100): without a bound, a
	// server that falls behind gets a new connection for every late request.
	connections := flag.Int("connections", 64, "the most connections open at once")
	var hdrs headers
	flag.Var(&hdrs, "header", "a request header, 'Name: value' (repeatable)")
	flag.Parse()
	if flag.NArg() == 0 || *rate <= 0 {
		fmt.Fprintln(os.Stderr, "usage: openloop -rate R -seconds S [-header H]... URL...")
		os.Exit(2)
	}
	json.NewEncoder(os.Stdout).Encode(Run(flag.Args(), hdrs, *rate, *seconds, *connections))
}
