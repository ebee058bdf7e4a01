// SPDX-License-Identifier: MIT
// WebSocket over HTTP/2 (RFC 8441) with Node's own http2 module, cleartext (h2c prior
// knowledge), for wstrace captures. The WebSocket frames inside the stream are framed here
// (RFC 6455 §5.2): the `ws` package speaks only HTTP/1.1 Upgrade.
//   node h2-ws.js server PORT MODE   MODE: ok | no-setting | refuse | reset-mid | goaway
//   node h2-ws.js client PORT MODE   ok | no-wait | reset-mid
// The server serves one session and exits after it.
'use strict';
const http2 = require('node:http2');
const crypto = require('node:crypto');

const [, , role, portArg, mode = 'ok'] = process.argv;
const port = Number(portArg);

function frame(opcode, payload, mask, fin = true) {
  const len = payload.length;
  const head = [];
  head.push((fin ? 0x80 : 0) | opcode);
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
  else throw new Error('too long for this peer');
  let body = Buffer.from(payload);
  const parts = [Buffer.from(head)];
  if (mask) {
    const key = crypto.randomBytes(4);
    parts.push(key);
    body = Buffer.from(body.map((b, i) => b ^ key[i % 4]));
  }
  parts.push(body);
  return Buffer.concat(parts);
}

function closeFrame(code, reason, mask) {
  const p = Buffer.alloc(2 + Buffer.byteLength(reason));
  p.writeUInt16BE(code, 0);
  p.write(reason, 2);
  return frame(0x8, p, mask);
}

// Incremental frame reader: calls onFrame(opcode, payload, fin) per complete frame.
function reader(onFrame) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const fin = (buf[0] & 0x80) !== 0;
      const op = buf[0] & 0x0f;
      const masked = (buf[1] & 0x80) !== 0;
      let len = buf[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        at = 10;
      }
      const key = masked ? buf.subarray(at, at + 4) : null;
      if (masked) at += 4;
      if (buf.length < at + len) return;
      let payload = Buffer.from(buf.subarray(at, at + len));
      if (key) payload = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
      buf = buf.subarray(at + len);
      onFrame(op, payload, fin);
    }
  };
}

function server() {
  const settings = mode === 'no-setting' ? {} : { enableConnectProtocol: true };
  const srv = http2.createServer({ settings });
  srv.on('session', (session) => {
    session.on('close', () => srv.close());
  });
  srv.on('stream', (stream, headers) => {
    console.log(`stream ${stream.id} ${headers[':method']} ${headers[':protocol'] || ''} ${headers[':path']}`);
    if (headers[':method'] !== 'CONNECT' || headers[':protocol'] !== 'websocket') {
      stream.respond({ ':status': 404 });
      stream.end();
      return;
    }
    if (mode === 'refuse') {
      stream.respond({ ':status': 403, 'content-type': 'text/plain' });
      stream.end('origin not allowed\n');
      return;
    }
    const offered = String(headers['sec-websocket-protocol'] || '').split(',').map((s) => s.trim());
    const h = { ':status': 200 };
    if (offered.includes('chat')) h['sec-websocket-protocol'] = 'chat';
    stream.respond(h);
    let n = 0;
    stream.on('data', reader((op, payload) => {
      if (op === 0x1 || op === 0x2) {
        n += 1;
        if (mode === 'reset-mid' && n === 2) {
          // Half a frame, then reset: the client's message is cut mid-frame.
          const f = frame(0x1, Buffer.alloc(400, 'x'), false);
          stream.write(f.subarray(0, 100), () => setTimeout(() => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR), 50));
          return;
        }
        stream.write(frame(op, payload, false));
        if (mode === 'goaway' && n === 2) session.goaway(http2.constants.NGHTTP2_NO_ERROR);
      } else if (op === 0x8) {
        stream.write(frame(0x8, payload, false));
        stream.end();
      } else if (op === 0x9) {
        stream.write(frame(0xA, payload, false));
      }
    }));
    const session = stream.session;
    stream.on('error', (e) => console.log(`stream error ${e.code}`));
  });
  srv.listen(port, '127.0.0.1', () => console.log('listening'));
}

function client() {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on('error', (e) => console.log(`session error ${e.code || e.message}`));
  const go = () => {
    let req;
    try {
      req = session.request({
        ':method': 'CONNECT',
        ':protocol': 'websocket',
        ':scheme': 'http',
        ':path': '/echo',
        ':authority': `127.0.0.1:${port}`,
        'sec-websocket-version': '13',
        'sec-websocket-protocol': 'chat, superchat',
        origin: `http://127.0.0.1:${port}`,
      });
    } catch (e) {
      console.log(`request refused by node: ${e.code}`);
      session.close();
      return;
    }
    req.on('response', (h) => {
      console.log(`status ${h[':status']}`);
      if (h[':status'] !== 200) {
        req.resume();
        req.on('end', () => session.close());
        return;
      }
      const msgs = ['hello over h2', 'second', 'third'];
      let got = 0;
      req.on('data', reader((op, payload) => {
        if (op === 0x1) {
          got += 1;
          console.log(`echo ${payload}`);
          if (got < msgs.length) req.write(frame(0x1, msgs[got], true));
          else req.write(closeFrame(1000, 'bye', true));
        } else if (op === 0x8) {
          req.end();
        }
      }));
      req.write(frame(0x1, msgs[0], true));
    });
    req.on('error', (e) => console.log(`stream error ${e.code}`));
    req.on('close', () => {
      console.log(`closed rst=${req.rstCode}`);
      session.close();
    });
  };
  if (mode === 'no-wait') {
    // Send the CONNECT without waiting for the server's SETTINGS: Node checks
    // enableConnectProtocol against the remote settings it has, which are the defaults yet.
    session.on('connect', () => {});
    setImmediate(go);
  } else {
    session.on('remoteSettings', (s) => {
      console.log(`remote enableConnectProtocol=${s.enableConnectProtocol}`);
      go();
    });
  }
}

if (role === 'server') server();
else client();
