// SPDX-License-Identifier: MIT

// k6load is a small k6-style load test for captures/gen scenarios k6-loadtest-gin*: -vus virtual
// users share -conns iterations; each iteration dials like k6's ws.connect (the gorilla Dialer,
// User-Agent "Grafana k6/0.49.0", no Origin), sends one text message, reads the echo and closes
// normally (Close 1000, then waits for the server's Close). The iterations listed in -fail-at
// dial another route instead: -fail-path, or the route named after the iteration number
// ("41:/after-json"). Such a route is a server mistake; the client may see it (a failed dial, a
// dropped session) or not (c.JSON after the read loop only reaches the server's log), so each
// one is logged with what the client saw. k6-loadtest-gin-mistakes uses several routes.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

func main() {
	base := flag.String("base", "ws://127.0.0.1:18111", "ws:// scheme, host and port")
	okPath := flag.String("path", "/echo", "route of the healthy iterations")
	failPath := flag.String("fail-path", "/prewrite", "route of the failing iterations")
	conns := flag.Int("conns", 300, "iterations (one connection each)")
	vus := flag.Int("vus", 10, "virtual users (concurrent connections)")
	failAt := flag.String("fail-at", "",
		"comma-separated iteration numbers that dial -fail-path, or N:PATH to dial PATH")
	flag.Parse()
	log.SetFlags(log.Lmicroseconds)

	fail := map[int]string{} // iteration -> route of the mistake
	for _, f := range strings.Split(*failAt, ",") {
		if f == "" {
			continue
		}
		num, path, hasPath := strings.Cut(f, ":")
		if !hasPath {
			path = *failPath
		}
		n, err := strconv.Atoi(num)
		if err != nil {
			log.Fatalf("-fail-at: %v", err)
		}
		fail[n] = path
	}
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	h := http.Header{"User-Agent": {"Grafana k6/0.49.0"}}

	var next, ok, failed, unseen, broken int64
	var wg sync.WaitGroup
	for vu := 1; vu <= *vus; vu++ {
		wg.Add(1)
		go func(vu int) {
			defer wg.Done()
			for {
				iter := int(atomic.AddInt64(&next, 1)) - 1
				if iter >= *conns {
					return
				}
				path, mistake := fail[iter]
				if !mistake {
					path = *okPath
				}
				err := iteration(d, h, *base+path, vu, iter)
				switch {
				case err != nil && mistake:
					atomic.AddInt64(&failed, 1)
					log.Printf("vu %d iter %d %s: failed as planned: %v", vu, iter, path, err)
				case err != nil:
					atomic.AddInt64(&broken, 1)
					log.Printf("vu %d iter %d %s: UNEXPECTED failure: %v", vu, iter, path, err)
				case mistake:
					atomic.AddInt64(&unseen, 1)
					log.Printf("vu %d iter %d %s: healthy for the client (the mistake is server-side)", vu, iter, path)
				default:
					atomic.AddInt64(&ok, 1)
				}
			}
		}(vu)
	}
	wg.Wait()
	log.Printf("done: %d healthy, %d failed as planned, %d mistakes the client did not see, %d unexpected failures",
		ok, failed, unseen, broken)
}

func iteration(d websocket.Dialer, h http.Header, url string, vu, iter int) error {
	ws, resp, err := d.Dial(url, h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		return fmt.Errorf("dial: %v (status %d)", err, status)
	}
	defer ws.Close()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	msg := fmt.Sprintf(`{"vu":%d,"iter":%d}`, vu, iter)
	if err := ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		return err
	}
	if _, got, err := ws.ReadMessage(); err != nil || string(got) != msg {
		return fmt.Errorf("echo: %q, %v", got, err)
	}
	if err := ws.WriteMessage(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")); err != nil {
		return err
	}
	for i := 0; i < 10; i++ { // bounded: the server's Close ends the loop
		if _, _, err := ws.ReadMessage(); err != nil {
			if websocket.IsCloseError(err, websocket.CloseNormalClosure) {
				return nil
			}
			return fmt.Errorf("close: %v", err)
		}
	}
	return fmt.Errorf("no Close from the server")
}
