#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Raw WebSocket client for captures/gen: sends handshakes and frames that libraries refuse to.

Usage: rawclient.py MODE HOST PORT PATH
Modes: missing-upgrade missing-connection missing-version missing-key early-data
       unmasked control-too-large control-fragmented invalid-utf8 close-1005 rsv1
"""
import socket
import sys

from wsraw import Reader, accept_for, client_frame, close_payload, drain_until_eof, encode_frame, header, new_key

UA = b"wstrace-gen-rawclient/1"


def request(host, port, path, drop=None):
    key = new_key()
    lines = [
        b"GET " + path.encode() + b" HTTP/1.1",
        b"Host: " + f"{host}:{port}".encode(),
        b"User-Agent: " + UA,
        b"Upgrade: websocket",
        b"Connection: Upgrade",
        b"Sec-WebSocket-Key: " + key,
        b"Sec-WebSocket-Version: 13",
    ]
    if drop:
        lines = [l for l in lines if not l.lower().startswith(drop.lower() + b":")]
    return b"\r\n".join(lines) + b"\r\n\r\n", key


def refused(sock, rd):
    """Read one non-101 response (head + Content-Length body) and hang up like a client does."""
    head = rd.head()
    print(head.split(b"\r\n")[0].decode(), flush=True)
    n = int(header(head, b"Content-Length") or b"0")
    rd.exact(n)


def closing(sock, rd, sent_close):
    """Follow RFC 6455 §5.5.1: answer the peer's Close once, then wait for its FIN."""
    for _ in range(20):
        fin, rsv, op, payload = rd.frame()
        print(f"server frame op={op} fin={fin} rsv={rsv} len={len(payload)} {payload[:60]!r}", flush=True)
        if op == 0x8:
            if not sent_close:
                try:
                    sock.sendall(client_frame(0x8, payload[:2]))
                except ConnectionError:
                    pass
            break
    drain_until_eof(sock)


def main():
    mode, host, port, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(fam, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.connect((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    rd = Reader(sock)
    drops = {
        "missing-upgrade": b"Upgrade",
        "missing-connection": b"Connection",
        "missing-version": b"Sec-WebSocket-Version",
        "missing-key": b"Sec-WebSocket-Key",
    }
    try:
        if mode in drops:
            req, _ = request(host, port, path, drops[mode])
            sock.sendall(req)
            refused(sock, rd)
            return
        req, key = request(host, port, path)
        if mode == "early-data":
            # RFC 6455 §4.1 says wait for the 101; this client does not: one write.
            sock.sendall(req + client_frame(0x1, b'{"subscribe":"ticks"}'))
            drain_until_eof(sock)
            return
        sock.sendall(req)
        head = rd.head()
        print(head.split(b"\r\n")[0].decode(), flush=True)
        if b" 101 " not in head.split(b"\r\n")[0] or header(head, b"Sec-WebSocket-Accept") != accept_for(key):
            raise SystemExit("handshake failed")
        if mode == "unmasked":  # RFC 6455 §5.1: client frames MUST be masked
            sock.sendall(encode_frame(0x1, b"hello, unmasked"))
            closing(sock, rd, False)
        elif mode == "control-too-large":  # §5.5: control payload <= 125
            sock.sendall(client_frame(0x9, b"p" * 126))
            closing(sock, rd, False)
        elif mode == "control-fragmented":  # §5.5: control frames MUST NOT be fragmented
            sock.sendall(client_frame(0x9, b"fragmented ping", fin=False))
            closing(sock, rd, False)
        elif mode == "rsv1":  # §5.2: RSV1 only with an extension that defines it
            sock.sendall(client_frame(0x1, b"rsv1 but no extension", rsv=4))
            closing(sock, rd, False)
        elif mode == "close-1005":  # §7.4.1: 1005 MUST NOT be sent in a Close frame
            sock.sendall(client_frame(0x8, close_payload(1005)))
            closing(sock, rd, True)
        elif mode == "invalid-utf8":  # §8.1: text must be UTF-8; gorilla echoes it unchecked
            sock.sendall(client_frame(0x1, b"caf\xc3 \xff\xfe not utf-8"))
            fin, rsv, op, payload = rd.frame()
            print(f"echo op={op} {payload!r}", flush=True)
            sock.sendall(client_frame(0x8, close_payload(1000)))
            closing(sock, rd, True)
        else:
            raise SystemExit(f"unknown mode {mode}")
    except (EOFError, ConnectionError, socket.timeout) as e:
        print(f"connection ended: {e!r}", flush=True)
    finally:
        sock.close()


if __name__ == "__main__":
    main()
