#!/usr/bin/env node
// A 2026-07-28-only MCP server on the official TypeScript SDK v2, for Junction's interop tests.
//
//   node stateless-server.mjs
//
// Listens on 127.0.0.1 on a free port and prints JUNCTION_STATELESS_PORT=<port> once ready.
// legacy: 'reject' makes it refuse every session-based (2025) request, so a gateway must speak
// 2026-07-28 to it: server/discover, _meta envelopes, Mcp-Method/Mcp-Name headers, no sessions.
// Tool: echo {message}, answering "Echo: <message>" (as server-everything's echo does).
import { createServer } from 'node:http';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import * as z from 'zod';

const factory = () => {
  const server = new McpServer({ name: 'stateless-peer', version: '1.0.0' },
    { cacheHints: { 'tools/list': { ttlMs: 60000, cacheScope: 'public' } } });
  server.registerTool('echo', { description: 'Echo a message', inputSchema: z.object({ message: z.string() }) },
    async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));
  return server;
};
const handler = createMcpHandler(factory, { legacy: 'reject' });

// A small bridge from node:http to the handler's fetch-style Request/Response.
const httpServer = createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x)); else if (v !== undefined) headers.set(k, v);
  }
  const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers,
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
  const response = await handler.fetch(request);
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  if (response.body) {
    for await (const chunk of response.body) res.write(chunk);
  }
  res.end();
});
httpServer.listen(0, '127.0.0.1', () => console.log(`JUNCTION_STATELESS_PORT=${httpServer.address().port}`));
process.on('SIGTERM', () => process.exit(0));
