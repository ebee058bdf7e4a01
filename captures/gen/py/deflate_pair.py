#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""python3-websockets server and client with permessage-deflate and negotiated window bits
(RFC 7692 §7.1.2), for captures/gen scenario py-websockets-deflate.

The client offers client_max_window_bits (no value); the server answers with
server_max_window_bits=11 and client_max_window_bits=10. Context takeover stays on, so the
repeated message compresses against the previous one (§7.1.1): a decoder must keep one
inflate context per direction. Bounded: the whole run is capped at 10 s.
"""
import asyncio
import json
import sys

import websockets
from websockets.extensions.permessage_deflate import (ClientPerMessageDeflateFactory,
                                                      ServerPerMessageDeflateFactory)


async def echo(ws, path=None):
    async for msg in ws:
        await ws.send(msg)


async def main(port):
    server_ext = ServerPerMessageDeflateFactory(server_max_window_bits=11, client_max_window_bits=10)
    async with websockets.serve(echo, "127.0.0.1", port, extensions=[server_ext]):
        print(f"listening 127.0.0.1:{port}", flush=True)
        client_ext = ClientPerMessageDeflateFactory(client_max_window_bits=True)
        async with websockets.connect(f"ws://127.0.0.1:{port}/deflate", extensions=[client_ext],
                                      user_agent_header="wstrace-gen python-websockets client") as ws:
            print("negotiated:", ws.response_headers.get("Sec-WebSocket-Extensions"), flush=True)
            tick = {"type": "tick", "symbol": "WST", "bids": [[100 + i, 5] for i in range(20)]}
            for msg in (json.dumps(tick), json.dumps(tick), "hello " * 40):
                await ws.send(msg)
                print("echo text", len(await ws.recv()), flush=True)
            await ws.send(bytes(range(64)) * 8)
            print("echo binary", len(await ws.recv()), flush=True)
            pong = await ws.ping(b"py-ping")
            await asyncio.wait_for(pong, 2)
            print("pong", flush=True)
        print("closed", ws.close_code, flush=True)


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(int(sys.argv[1])), 10))
