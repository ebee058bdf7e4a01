// SPDX-License-Identifier: MIT
// node ws server and client over IPv6 loopback ([::1]) for captures/gen scenario node-ws-ipv6:
// the client sends a text message in three fragments with a ping between the first two
// (RFC 6455 §5.4: control frames may be injected in the middle of a fragmented message), the
// server echoes it whole, sends a 70 000-byte binary message (64-bit length, §5.2), and
// closes with 1008 and a reason. Bounded: exits after 10 s whatever happens.
'use strict';
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || 18601);
const log = (...a) => console.log(new Date().toISOString(), ...a);
setTimeout(() => { log('timeout'); process.exit(1); }, 10000).unref();

const wss = new WebSocketServer({ host: '::1', port, perMessageDeflate: false });
wss.on('listening', () => {
  log(`listening [::1]:${port}`);
  const ws = new WebSocket(`ws://[::1]:${port}/feed`, { perMessageDeflate: false });
  ws.on('open', () => {
    log('client open');
    ws.send('first fragment, ', { fin: false });
    ws.ping('between-fragments');
    ws.send('second fragment, ', { fin: false });
    ws.send('last fragment', { fin: true });
  });
  ws.on('pong', (d) => log('client pong', d.toString()));
  ws.on('message', (d, isBinary) => log('client got', isBinary ? 'binary' : 'text', d.length));
  ws.on('close', (code, reason) => { log('client close', code, reason.toString()); });
});

wss.on('connection', (sock) => {
  log('server connection');
  sock.on('message', (d, isBinary) => {
    log('server got', isBinary ? 'binary' : 'text', d.length, JSON.stringify(d.toString()));
    sock.send(d, { binary: isBinary });
    const big = Buffer.alloc(70000);
    for (let i = 0; i < big.length; i++) big[i] = i & 0xff;
    sock.send(big, { binary: true }, () => sock.close(1008, 'policy: feed limited to one message'));
  });
  sock.on('close', (code, reason) => {
    log('server close', code, reason.toString());
    wss.close(() => { log('done'); process.exit(0); });
  });
});
