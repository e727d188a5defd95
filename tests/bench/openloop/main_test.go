package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// A server that holds every request for 300 ms once, at its 40th request: requests due
// during the stall are charged for it even though the generator cannot send them sooner.
func TestAStallIsChargedToEveryRequestDueDuringIt(t *testing.T) {
	var mu sync.Mutex
	count := 0
	gate := make(chan struct{})
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		count++
		n := count
		mu.Unlock()
		if n == 40 {
			time.Sleep(300 * time.Millisecond)
			close(gate)
		} else if n > 40 {
			<-gate
		}
		w.Write([]byte("ok"))
	}))
	defer server.Close()
	got := Run([]string{server.URL}, nil, 200, 1, 64)
	if got.Errors != 0 || got.Answered != 200 {
		t.Fatalf("errors %d, answered %d", got.Errors, got.Answered)
	}
	if got.P99 < 200 {
		t.Fatalf("p99 %.1f ms: the stall was not charged", got.P99)
	}
	if got.P50 > 100 {
		t.Fatalf("p50 %.1f ms: the server answers at once outside the stall", got.P50)
	}
}

func TestASteadyServerIsAnsweredAtTheAskedRate(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Test") != "1" {
			w.WriteHeader(400)
		}
	}))
	defer server.Close()
	got := Run([]string{server.URL + "/a", server.URL + "/b"}, []string{"X-Test: 1"}, 300, 1, 8)
	if got.Errors != 0 || got.Non2xx != 0 || got.Sent != 300 {
		t.Fatalf("%+v", got)
	}
	if got.AchievedRate < 250 || got.AchievedRate > 330 || got.P50 > 20 {
		t.Fatalf("%+v", got)
	}
}
