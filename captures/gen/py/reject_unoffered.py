#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""python3-websockets (10.4) as a client that offers no extension (compression=None), for
captures/gen scenario client-rejects-unoffered-extension: against a server whose 101 accepts
permessage-deflate anyway, websockets fails the handshake (NegotiationError) and closes TCP
without sending a frame. Usage: reject_unoffered.py URL. Bounded: 5 s."""
import asyncio
import sys
import time

import websockets


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


async def main(url):
    try:
        async with websockets.connect(url, compression=None, open_timeout=5) as ws:
            log("client open (not expected)", ws.response_headers)
            await ws.close()
    except Exception as e:  # the handshake failure is the point of the scenario
        log(f"client error: {type(e).__name__}: {e}")


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(sys.argv[1]), 5))
