// SPDX-License-Identifier: MIT

// k6client dials like k6's ws.connect: the gorilla Dialer, User-Agent "Grafana k6/0.49.0" and
// no Origin, as k6's ws module dials. Each -mode is one client behaviour of captures/gen.
package main

import (
	"bytes"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gorilla/websocket"
)

func main() {
	url := flag.String("url", "", "ws:// URL")
	mode := flag.String("mode", "healthy", "healthy|session|linger|fail|noread|readfirst")
	origin := flag.String("origin", "", "Origin header to send (k6 sends none)")
	noCompress := flag.Bool("no-write-compression", false, "never compress outgoing messages")
	size := flag.Int("size", 0, "pad the first text message to this many bytes (0: no padding)")
	pause := flag.Duration("pause", 0, "wait this long between sending a message and reading its echo")
	flag.Parse()
	log.SetFlags(log.Lmicroseconds)

	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	h := http.Header{"User-Agent": {"Grafana k6/0.49.0"}}
	if *origin != "" {
		h.Set("Origin", *origin)
	}
	ws, resp, err := d.Dial(*url, h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		log.Printf("dial: %v (status %d)", err, status)
		if *mode == "fail" {
			os.Exit(0)
		}
		os.Exit(1)
	}
	defer ws.Close()
	log.Printf("connected: %s", resp.Status)
	ws.EnableWriteCompression(!*noCompress)
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	ws.SetPongHandler(func(p string) error { log.Printf("pong %q", p); return nil })

	roundTrip := func(mt int, msg []byte) {
		if err := ws.WriteMessage(mt, msg); err != nil {
			log.Fatalf("write: %v", err)
		}
		time.Sleep(*pause)
		rt, got, err := ws.ReadMessage()
		if err != nil {
			log.Printf("read: %v", err)
			os.Exit(0)
		}
		log.Printf("echo type %d, %d bytes, same=%v", rt, len(got), rt == mt && bytes.Equal(got, msg))
	}
	closeAndDrain := func() {
		msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
		if err := ws.WriteMessage(websocket.CloseMessage, msg); err != nil {
			log.Fatalf("close: %v", err)
		}
		for i := 0; i < 100; i++ { // bounded: the peer's Close ends the loop
			if _, _, err := ws.ReadMessage(); err != nil {
				log.Printf("closed: %v", err)
				return
			}
		}
	}

	switch *mode {
	case "healthy":
		roundTrip(websocket.TextMessage, []byte("hello from k6"))
		roundTrip(websocket.TextMessage, []byte(`{"vu":1,"iter":0,"msg":"ping me"}`))
		roundTrip(websocket.BinaryMessage, []byte{0x00, 0x01, 0x02, 0xfe, 0xff, 0x10, 0x20, 0x30})
		if err := ws.WriteControl(websocket.PingMessage, []byte("k6-ping"), time.Now().Add(time.Second)); err != nil {
			log.Fatalf("ping: %v", err)
		}
		closeAndDrain() // the pong is handled while draining, before the Close echo
	case "session":
		first := []byte("hello from k6")
		if *size > len(first) {
			first = append(first, bytes.Repeat([]byte("."), *size-len(first))...)
		}
		roundTrip(websocket.TextMessage, first)
		closeAndDrain()
	case "linger": // one round trip, then wait for the server to end the session
		roundTrip(websocket.TextMessage, []byte("hello from k6"))
		for i := 0; i < 100; i++ {
			if _, _, err := ws.ReadMessage(); err != nil {
				log.Printf("read: %v", err)
				break
			}
		}
	case "noread": // never reads, so gorilla never answers pings (ws_frame_ping_unanswered)
		time.Sleep(3 * time.Second)
		log.Printf("giving up without reading")
	case "readfirst": // waits for the server to speak first
		mt, msg, err := ws.ReadMessage()
		log.Printf("read: type %d, %d bytes, err %v", mt, len(msg), err)
	default:
		log.Fatalf("unknown mode %q", *mode)
	}
}
