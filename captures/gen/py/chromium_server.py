#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Page + WebSocket server for captures/gen scenario chromium-deflate.

Serves index.html on PAGE_PORT (not captured) and a python3-websockets echo server with its
default permessage-deflate (window bits negotiated) on WS_PORT (captured). Headless Chromium
loads the page; its script opens ws://127.0.0.1:WS_PORT/chat (a cross-origin handshake with
Origin), sends one message, and closes with 1000 when the echo comes back. Prints "done" when
the WebSocket connection has closed. Bounded: exits after 30 s.
Usage: chromium_server.py PAGE_PORT WS_PORT
"""
import asyncio
import http.server
import sys
import threading

import websockets

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>wstrace capture</title></head><body>
<p id="s">connecting</p>
<script>
const ws = new WebSocket("ws://127.0.0.1:%d/chat");
ws.onopen = () => ws.send(JSON.stringify({hello: "from headless chromium", pad: "abc".repeat(40)}));
ws.onmessage = (e) => { document.getElementById("s").textContent = "echo " + e.data.length; ws.close(1000, "done"); };
ws.onclose = (e) => { document.title = "closed " + e.code; };
</script></body></html>
"""


def serve_page(page_port, ws_port):
    body = (PAGE % ws_port).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):
            print("page:", fmt % args, flush=True)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", page_port), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()


async def main(page_port, ws_port):
    closed = asyncio.Event()

    async def echo(ws, path=None):
        print("ws request:", dict(ws.request_headers.raw_items()), flush=True)
        print("ws response:", ws.response_headers.get("Sec-WebSocket-Extensions"), flush=True)
        try:
            async for msg in ws:
                await ws.send(msg)
        finally:
            await ws.wait_closed()
            print("ws closed", ws.close_code, ws.close_reason, flush=True)
            closed.set()

    async with websockets.serve(echo, "127.0.0.1", ws_port):
        serve_page(page_port, ws_port)
        print(f"listening page {page_port} ws {ws_port}", flush=True)
        await closed.wait()
        await asyncio.sleep(0.3)
    print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(int(sys.argv[1]), int(sys.argv[2])), 30))
