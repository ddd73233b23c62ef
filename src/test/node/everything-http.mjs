#!/usr/bin/env node
// Launch server-everything's Streamable HTTP transport bound to loopback only.
//
//   PORT=<port|0> [EVERYTHING_TRANSPORT=sse] node everything-http.mjs
//
// server-everything itself only reads PORT (default 3001) and calls app.listen(PORT),
// which binds every interface and, for PORT=0, never tells which port it got.
// This wrapper makes the first listen() bind 127.0.0.1 and, once listening, prints
//   JUNCTION_EVERYTHING_PORT=<actual port>
// on stdout, so tests can use PORT=0 and read the real port. Endpoint: http://127.0.0.1:<port>/mcp, or with
// EVERYTHING_TRANSPORT=sse the legacy HTTP+SSE transport (2024-11-05): http://127.0.0.1:<port>/sse
import net from 'node:net';

const listen = net.Server.prototype.listen;
let patched = false;
net.Server.prototype.listen = function (...args) {
  // Only the first numeric/string-port listen() (express' app.listen(PORT, cb)) is rewritten.
  if (!patched && (typeof args[0] === 'number' || typeof args[0] === 'string')) {
    patched = true;
    const cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    this.once('listening', () => console.log(`JUNCTION_EVERYTHING_PORT=${this.address().port}`));
    return listen.call(this, Number(args[0]), '127.0.0.1', cb);
  }
  return listen.apply(this, args);
};

process.env.PORT ??= '0';
// SIGTERM (default for Process.destroy() in Java) should end the server promptly.
process.on('SIGTERM', () => process.exit(0));
if (process.env.EVERYTHING_TRANSPORT === 'sse') {
  await import('@modelcontextprotocol/server-everything/dist/transports/sse.js');
} else {
  await import('@modelcontextprotocol/server-everything/dist/transports/streamableHttp.js');
}
