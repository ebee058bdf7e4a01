// SPDX-License-Identifier: MIT

// k6load is a small k6-style load test for captures/gen scenario k6-loadtest-gin: -vus virtual
// users share -conns iterations; each iteration dials like k6's ws.connect (the gorilla Dialer,
// User-Agent "Grafana k6/0.49.0", no Origin), sends one text message, reads the echo and closes
// normally (Close 1000, then waits for the server's Close). The iterations listed in -fail-at
// dial -fail-path instead (a route that fails the handshake) and end at the failed dial.
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
	failAt := flag.String("fail-at", "", "comma-separated iteration numbers that dial -fail-path")
	flag.Parse()
	log.SetFlags(log.Lmicroseconds)

	fail := map[int]bool{}
	for _, f := range strings.Split(*failAt, ",") {
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			log.Fatalf("-fail-at: %v", err)
		}
		fail[n] = true
	}
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	h := http.Header{"User-Agent": {"Grafana k6/0.49.0"}}

	var next, ok, failed, broken int64
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
				path := *okPath
				if fail[iter] {
					path = *failPath
				}
				if err := iteration(d, h, *base+path, vu, iter); err != nil {
					if fail[iter] {
						atomic.AddInt64(&failed, 1)
						log.Printf("vu %d iter %d %s: failed as planned: %v", vu, iter, path, err)
					} else {
						atomic.AddInt64(&broken, 1)
						log.Printf("vu %d iter %d %s: UNEXPECTED failure: %v", vu, iter, path, err)
					}
					continue
				}
				atomic.AddInt64(&ok, 1)
			}
		}(vu)
	}
	wg.Wait()
	log.Printf("done: %d healthy, %d failed as planned, %d unexpected failures", ok, failed, broken)
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
