// SPDX-License-Identifier: MIT
// node ws as a client that offers neither a subprotocol nor an extension, for captures/gen
// scenario node-rejects-unoffered: against a server whose 101 names one anyway, ws fails the
// handshake ("Server sent a subprotocol but none was requested", "Server sent a
// Sec-WebSocket-Extensions header but no extension was requested") and destroys the socket
// without sending a single WebSocket frame. Usage: reject-unoffered.js URL. Bounded: 5 s.
'use strict';
const { WebSocket } = require('ws');

const url = process.argv[2];
const log = (...a) => console.log(new Date().toISOString(), ...a);
setTimeout(() => { log('timeout'); process.exit(1); }, 5000).unref();

const ws = new WebSocket(url, { perMessageDeflate: false });
ws.on('open', () => { log('client open (not expected)'); ws.close(1000); });
ws.on('error', (e) => log('client error:', e.message));
ws.on('close', (code) => { log('client close', code); setTimeout(() => process.exit(0), 200); });
