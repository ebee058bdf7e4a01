// SPDX-License-Identifier: MIT
// node ws echo server or client for captures/gen scenario node-vs-gorilla.
//   echo-peer.js server PORT N   echo server on 127.0.0.1:PORT (no permessage-deflate, so its
//                                101 has exactly gorilla's layout); exits after N sessions
//   echo-peer.js client URL      offers nothing, sends one text message, waits for the echo,
//                                then closes normally: Close 1000 "client done"
// Every event is logged with a timestamp. Bounded: 20 s (server), 5 s (client).
'use strict';
const { WebSocketServer, WebSocket } = require('ws');

const log = (...a) => console.log(new Date().toISOString(), ...a);
const [mode, arg, count] = process.argv.slice(2);

if (mode === 'server') {
  setTimeout(() => { log('timeout'); process.exit(1); }, 20000).unref();
  let left = Number(count || 1);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(arg), perMessageDeflate: false });
  wss.on('listening', () => log(`listening 127.0.0.1:${arg}`));
  wss.on('connection', (sock, req) => {
    const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    log('server connection from', peer, req.headers['user-agent'] || '');
    sock.on('message', (d, isBinary) => {
      log('server got', isBinary ? 'binary' : 'text', d.length, 'from', peer);
      sock.send(d, { binary: isBinary });
    });
    sock.on('close', (code, reason) => {
      log('server close', code, JSON.stringify(reason.toString()), 'from', peer);
      if (--left === 0) wss.close(() => { log('done'); process.exit(0); });
    });
  });
} else if (mode === 'client') {
  setTimeout(() => { log('timeout'); process.exit(1); }, 5000).unref();
  const ws = new WebSocket(arg, { perMessageDeflate: false });
  ws.on('open', () => { log('client open'); ws.send('hello from node ws'); });
  ws.on('message', (d) => { log('client got', d.length); ws.close(1000, 'client done'); });
  ws.on('error', (e) => log('client error:', e.message));
  ws.on('close', (code, reason) => {
    log('client close', code, JSON.stringify(reason.toString()));
    setTimeout(() => process.exit(0), 200);
  });
} else {
  console.error('usage: echo-peer.js server PORT N | client URL');
  process.exit(2);
}
