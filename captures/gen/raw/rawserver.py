#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Raw WebSocket server for captures/gen: serves ONE connection with a deliberately broken
handshake or framing, then exits.

Usage: rawserver.py MODE HOST PORT
Modes: wrong-accept unoffered-subprotocol unoffered-extension 101-then-http masked-frame
       rst-mid-message
"""
import base64
import hashlib
import socket
import struct
import sys
import time

from wsraw import Reader, accept_for, drain_until_eof, encode_frame, header


def response_101(accept, extra=b""):
    # The Server header keeps this 101 from looking like gorilla's (which has none).
    return (b"HTTP/1.1 101 Switching Protocols\r\nServer: wstrace-gen-rawserver\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept + b"\r\n" + extra + b"\r\n")


def echo_until_close(sock, rd):
    """Echo data frames as they came (same FIN/RSV/opcode), answer pings, answer the Close and
    close TCP first, as RFC 6455 §7.1.1 asks of a server. Bounded by count and timeout."""
    for _ in range(100):
        fin, rsv, op, payload = rd.frame()
        print(f"client frame op={op} fin={fin} rsv={rsv} len={len(payload)}", flush=True)
        if op == 0x9:
            sock.sendall(encode_frame(0xA, payload))
        elif op == 0x8:
            sock.sendall(encode_frame(0x8, payload[:2]))
            return
        elif op in (0x0, 0x1, 0x2):
            sock.sendall(encode_frame(op, payload, fin=fin, rsv=rsv))


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, port))
    ls.listen(1)
    ls.settimeout(15)
    print(f"listening {host}:{port} mode={mode}", flush=True)
    sock, peer = ls.accept()
    ls.close()
    sock.settimeout(5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    rd = Reader(sock)
    try:
        req = rd.head()
        print(req.split(b"\r\n")[0].decode(), flush=True)
        key = header(req, b"Sec-WebSocket-Key") or b""
        if mode == "wrong-accept":
            # ws_handshake_wrong_accept: a hand-rolled server hashing the *decoded* key instead
            # of the key text.
            bad = base64.b64encode(hashlib.sha1(base64.b64decode(key) + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
            sock.sendall(response_101(bad))
            drain_until_eof(sock)
        elif mode == "unoffered-subprotocol":  # the client offered none
            sock.sendall(response_101(accept_for(key), b"Sec-WebSocket-Protocol: chat.v2\r\n"))
            echo_until_close(sock, rd)
        elif mode == "unoffered-extension":  # the client offered none
            sock.sendall(response_101(accept_for(key),
                b"Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n"))
            echo_until_close(sock, rd)
        elif mode == "101-then-http":
            # node ws with two WebSocketServers on one HTTP server: one answers 101, the
            # other aborts with a 400 on the same socket, then ends it.
            sock.sendall(response_101(accept_for(key)) +
                         b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html\r\n"
                         b"Content-Length: 11\r\n\r\nBad Request")
            sock.shutdown(socket.SHUT_WR)
            drain_until_eof(sock)
        elif mode == "masked-frame":  # RFC 6455 §5.1: a server MUST NOT mask
            sock.sendall(response_101(accept_for(key)))
            time.sleep(0.05)
            sock.sendall(encode_frame(0x1, b"masked by the server", mask=b"\x11\x22\x33\x44"))
            echo_until_close(sock, rd)
        elif mode == "rst-mid-message":
            # A binary frame announcing 1 MiB (64-bit length), 192 KiB of it, then an abortive
            # close: SO_LINGER 0 makes close() send RST (the process died mid-write).
            sock.sendall(response_101(accept_for(key)))
            n = 1 << 20
            sock.sendall(struct.pack("!BBQ", 0x82, 127, n))
            chunk = bytes(range(256)) * 256
            for _ in range(3):
                sock.sendall(chunk)
                time.sleep(0.02)
            time.sleep(0.1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            raise SystemExit(f"unknown mode {mode}")
    except (EOFError, ConnectionError, socket.timeout) as e:
        print(f"connection ended: {e!r}", flush=True)
    finally:
        sock.close()


if __name__ == "__main__":
    main()
