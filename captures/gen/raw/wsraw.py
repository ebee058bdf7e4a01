# SPDX-License-Identifier: MIT
"""Minimal RFC 6455 building blocks for the raw peers of captures/gen.

The raw peers exist to put on the wire what real libraries refuse to send (RFC 6455 §5
violations, broken handshakes), so this module can encode frames that break any rule.
Every read is bounded by a socket timeout and a size cap.
"""
import base64
import hashlib
import os
import socket
import struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3
MAX_HEAD = 16 * 1024
MAX_PAYLOAD = 4 * 1024 * 1024


def accept_for(key: bytes) -> bytes:
    """RFC 6455 §4.2.2: base64(SHA-1(key ‖ GUID))."""
    return base64.b64encode(hashlib.sha1(key.strip() + GUID).digest())


def new_key() -> bytes:
    return base64.b64encode(os.urandom(16))


def encode_frame(opcode, payload=b"", fin=True, rsv=0, mask=None):
    """One frame; mask=None sends it unmasked, mask=b'....' masks with that key."""
    b0 = (0x80 if fin else 0) | (rsv << 4) | opcode
    n = len(payload)
    mbit = 0x80 if mask is not None else 0
    if n < 126:
        head = struct.pack("!BB", b0, mbit | n)
    elif n < 65536:
        head = struct.pack("!BBH", b0, mbit | 126, n)
    else:
        head = struct.pack("!BBQ", b0, mbit | 127, n)
    if mask is None:
        return head + payload
    body = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
    return head + mask + body


def client_frame(opcode, payload=b"", fin=True, rsv=0):
    return encode_frame(opcode, payload, fin, rsv, mask=os.urandom(4))


def close_payload(code, reason=b""):
    return struct.pack("!H", code) + reason


class Reader:
    """Buffered, bounded reads from a socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def exact(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def head(self):
        """An HTTP head up to and including CRLFCRLF."""
        while b"\r\n\r\n" not in self.buf:
            if len(self.buf) > MAX_HEAD:
                raise ValueError("head too large")
            self._fill()
        i = self.buf.index(b"\r\n\r\n") + 4
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def frame(self):
        """(fin, rsv, opcode, payload) with the payload unmasked."""
        b0, b1 = self.exact(2)
        n = b1 & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", self.exact(2))
        elif n == 127:
            (n,) = struct.unpack("!Q", self.exact(8))
        if n > MAX_PAYLOAD:
            raise ValueError("frame too large")
        mask = self.exact(4) if b1 & 0x80 else None
        payload = self.exact(n)
        if mask:
            payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        return bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0x0F, payload


def header(head: bytes, name: bytes):
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == name.lower():
            return v.strip()
    return None


def drain_until_eof(sock, limit=50):
    """Read and discard until the peer closes (bounded by count and the socket timeout)."""
    try:
        for _ in range(limit):
            if not sock.recv(65536):
                return
    except (socket.timeout, ConnectionError):
        return
