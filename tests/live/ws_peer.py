#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A real WebSocket exchange on loopback with python3-websockets, for the live-capture tests.

Usage: ws_peer.py PORT [HOST]
Starts an echo server on HOST:PORT, connects a client, sends 3 text messages and 1 binary
message, pings once, closes with 1000, and exits 0. Everything is bounded by timeouts.
"""
import asyncio
import sys

import websockets


async def echo(ws, path=None):
    async for message in ws:
        await ws.send(message)


async def main(port: int, host: str) -> None:
    async with websockets.serve(echo, host, port, compression=None):
        uri = f"ws://{host}:{port}/live" if ":" not in host else f"ws://[{host}]:{port}/live"
        async with websockets.connect(uri, compression=None, open_timeout=5,
                                      close_timeout=5) as ws:
            for i in range(3):
                await ws.send(f"hello {i}")
                assert await asyncio.wait_for(ws.recv(), 5) == f"hello {i}"
            await ws.send(b"\x00\x01\x02\x03")
            assert await asyncio.wait_for(ws.recv(), 5) == b"\x00\x01\x02\x03"
            pong = await ws.ping(b"live")
            await asyncio.wait_for(pong, 5)
            await ws.close(code=1000, reason="done")


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2
                                      else "127.0.0.1"), 20))
