package serve

import (
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"
)

// BenchmarkPageUpdate is the page's update latency after a verb: from
// POST /exec to its event on an open /events stream, over loopback, with
// the lab redrawn (show --json and export svg) in between. Each verb loads
// or unloads a notify filter on a lab of two volumes, so each changes the
// picture. It reports the median and 99th percentile.
func BenchmarkPageUpdate(b *testing.B) {
	_, srv, _ := newLab(b, Options{})
	l, _, err := Listen("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	url := strings.TrimSuffix(srv.Start(l), "/")
	defer srv.Close()
	for _, v := range []string{"mount D:", "filter load av --notify"} {
		if r, err := http.Post(url+"/exec", "text/plain", strings.NewReader(v)); err != nil {
			b.Fatal(err)
		} else {
			r.Body.Close()
		}
	}
	ev := openEvents(b, url+"/events")
	for srv.Watchers() != 1 {
		time.Sleep(time.Millisecond)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		verb := "filter load f --notify"
		if i%2 == 1 {
			verb = "filter unload f"
		}
		t0 := time.Now()
		r, err := http.Post(url+"/exec", "text/plain", strings.NewReader(verb))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		if e := ev.next(); e.Line != verb || !e.OK {
			b.Fatalf("event %+v for %s", e, verb)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}
