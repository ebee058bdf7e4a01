// SPDX-License-Identifier: MIT

// ginserver is a gin + gorilla/websocket server with one route per scenario of captures/gen.
// Each route reproduces one way real gin applications use (or misuse) gorilla's Upgrade; the
// wire shape of each is described by its capture's row in captures/README.md and by its
// anomaly ids in docs/anomalies.md.
// Build in GOPATH mode against Debian's golang-github-{gin-gonic-gin,gorilla-websocket}-dev.
package main

import (
	"crypto/sha1"
	"encoding/base64"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}

// echoLoop echoes data messages until the peer closes or errs; gorilla answers pings and
// echoes the Close itself while we read.
func echoLoop(ws *websocket.Conn) error {
	for {
		mt, msg, err := ws.ReadMessage()
		if err != nil {
			return err
		}
		if err := ws.WriteMessage(mt, msg); err != nil {
			return err
		}
	}
}

// healthy: the correct handler. gin still logs 200 because Hijack never sets a status
// (hijack_gin_logs_200).
func echo(c *gin.Context) {
	ws, err := upgrader.Upgrade(c.Writer, c.Request, nil)
	if err != nil {
		log.Printf("upgrade: %v", err) // gorilla has already written the error response
		return
	}
	defer ws.Close()
	log.Printf("session ended: %v", echoLoop(ws))
}

// afterUpgrade: a clean session, then the handler reports through gin as if it still owned
// the response (the seed's story, hijack_gin_logs_200). Nothing reaches the wire; net/http
// and gin only log.
func afterUpgrade(how string) gin.HandlerFunc {
	return func(c *gin.Context) {
		ws, err := upgrader.Upgrade(c.Writer, c.Request, nil)
		if err != nil {
			log.Printf("upgrade: %v", err)
			return
		}
		err = echoLoop(ws)
		ws.Close()
		log.Printf("session ended: %v; now writing %s through gin", err, how)
		switch how {
		case "c.JSON":
			c.JSON(http.StatusInternalServerError, gin.H{"error": "websocket closed"})
		case "c.String":
			c.String(http.StatusInternalServerError, "websocket closed: %v", err)
		case "c.Status":
			c.Status(http.StatusInternalServerError)
		}
	}
}

// panicDrop: answers the first message through the WebSocket, then also through c.JSON. The
// write panics (gin 1.8 render) and the deferred ws.Close drops TCP without a Close frame.
func panicDrop(c *gin.Context) {
	ws, err := upgrader.Upgrade(c.Writer, c.Request, nil)
	if err != nil {
		log.Printf("upgrade: %v", err)
		return
	}
	defer ws.Close()
	mt, msg, err := ws.ReadMessage()
	if err != nil {
		log.Printf("read: %v", err)
		return
	}
	if err := ws.WriteMessage(mt, msg); err != nil {
		log.Printf("write: %v", err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"ack": string(msg)}) // panics: connection has been hijacked
}

// preWrite: the status is written before Upgrade (a middleware or handler calling
// WriteHeaderNow); net/http flushes it during Hijack, then gorilla writes its 101
// (hijack_two_responses).
func preWrite(c *gin.Context) {
	c.Header("X-Request-Id", "gen-200-then-101")
	c.Writer.WriteHeaderNow()
	echo(c)
}

// returnAfterUpgrade: upgrades and returns at once; defer closes TCP with no Close frame
// (hijack_closed_after_upgrade).
func returnAfterUpgrade(c *gin.Context) {
	ws, err := upgrader.Upgrade(c.Writer, c.Request, nil)
	if err != nil {
		log.Printf("upgrade: %v", err)
		return
	}
	defer ws.Close()
	log.Printf("upgraded; handler returns without reading")
}

// hijackClose: takes the raw connection and closes it without writing a response (an auth
// check that "drops" the client). A proxy in front reads EOF where the response head should be:
// nginx logs "upstream prematurely closed connection" and answers 502 (nginx-proxy-upstream-closed).
func hijackClose(c *gin.Context) {
	conn, _, err := c.Writer.Hijack()
	if err != nil {
		log.Printf("hijack-close: %v", err)
		return
	}
	conn.Close()
	log.Printf("hijack-close: closed the raw connection without a response")
}

// earlyData: gorilla 1.5.0 closes the hijacked connection when the client's frame arrived
// with the request (ws_handshake_early_client_data, http_no_response); the handler then answers
// through gin, which only logs.
func earlyData(c *gin.Context) {
	ws, err := upgrader.Upgrade(c.Writer, c.Request, nil)
	if err != nil {
		log.Printf("upgrade: %v", err)
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	defer ws.Close()
	log.Printf("session ended: %v", echoLoop(ws))
}

// pingTimeout: the chat-example keepalive: ping every 500 ms, read deadline 2.25 s renewed by
// pongs. A client that never reads never pongs, so the read times out and TCP is closed
// without a Close frame (ws_frame_ping_unanswered, ws_close_missing). The deadline sits
// between two ticks so the capture always holds
// exactly four pings (at 0.5, 1.0, 1.5 and 2.0 s).
func pingTimeout(c *gin.Context) {
	ws, err := upgrader.Upgrade(c.Writer, c.Request, nil)
	if err != nil {
		log.Printf("upgrade: %v", err)
		return
	}
	defer ws.Close()
	const pongWait = 2250 * time.Millisecond
	ws.SetReadDeadline(time.Now().Add(pongWait))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(pongWait)) })
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for i := 0; i < 20; i++ {
			select {
			case <-done:
				return
			case <-t.C:
				if err := ws.WriteControl(websocket.PingMessage, []byte("keepalive"),
					time.Now().Add(time.Second)); err != nil {
					return
				}
			}
		}
	}()
	log.Printf("session ended: %v", echoLoop(ws))
}

// noHijack: the handler runs behind http.TimeoutHandler, whose writer is not a Hijacker
// (hijack_not_supported).
var noHijack = gin.WrapH(http.TimeoutHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		log.Printf("upgrade: %v", err)
		return
	}
	defer ws.Close()
	echoLoop(ws)
}), 5*time.Second, "timeout"))

// statusRecorder is the metrics middleware of many services: it wraps the ResponseWriter to
// remember the status and forwards WriteHeader and Write, but neither Hijack nor Flush.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }

func withStatusRecorder(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		h(rec, r)
		log.Printf("metrics: %s answered %d", r.URL.Path, rec.status)
	})
}

// hand101: a hand-rolled upgrade behind statusRecorder. The handler writes the 101 itself with
// WriteHeader(101), which Go 1.19 net/http sends as an informational (1xx) response, then
// finds no http.Hijacker and returns. net/http still owns the connection: it finishes the
// request with its own final response (200, Content-Length: 0) and reads the client's first
// WebSocket frame as the next request (answered 400 if the frame holds a line feed).
var hand101 = gin.WrapH(withStatusRecorder(func(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Sec-WebSocket-Key")
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	w.Header().Set("Upgrade", "websocket")
	w.Header().Set("Connection", "Upgrade")
	w.Header().Set("Sec-WebSocket-Accept", base64.StdEncoding.EncodeToString(sum[:]))
	w.WriteHeader(http.StatusSwitchingProtocols)
	if _, ok := w.(http.Hijacker); !ok {
		log.Printf("hand-101: wrote 101 but %T is not an http.Hijacker; giving up", w)
		return
	}
	log.Printf("hand-101: hijacker found (not expected)")
}))

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	life := flag.Duration("life", 30*time.Second, "exit after this long (bounded run)")
	logStd := flag.Bool("log-std", false,
		"Go's default log flags (log.LstdFlags: date and time to the second) instead of time with microseconds")
	flag.Parse()
	log.SetOutput(os.Stderr)
	// Both forms are common in real Go services, and the captures keep both (issue 16): most
	// scenarios log the time with microseconds and no date, k6-loadtest-gin-mistakes keeps
	// Go's default. net/http's own error log (ErrorLog nil) uses the same logger and flags.
	if *logStd {
		log.SetFlags(log.LstdFlags)
	} else {
		log.SetFlags(log.Lmicroseconds)
	}

	r := gin.Default() // Logger + Recovery, as most gin services run
	r.GET("/echo", echo)
	r.GET("/after-json", afterUpgrade("c.JSON"))
	r.GET("/after-string", afterUpgrade("c.String"))
	r.GET("/after-status", afterUpgrade("c.Status"))
	r.GET("/panic-drop", panicDrop)
	r.GET("/prewrite", preWrite)
	r.GET("/return", returnAfterUpgrade)
	r.GET("/early-data", earlyData)
	r.GET("/ping-timeout", pingTimeout)
	r.GET("/nohijack", noHijack)
	r.GET("/hand-101", hand101)
	r.GET("/hijack-close", hijackClose)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on %s", ln.Addr())
	go func() { time.Sleep(*life); log.Printf("lifetime over"); os.Exit(0) }()
	log.Fatal(http.Serve(ln, r))
}
