#!/usr/bin/env node
// A 2026-07-28-only MCP server over stdio on the official TypeScript SDK v2, for Junction's interop tests.
//
//   node stateless-stdio-server.mjs
//
// legacy: 'reject' refuses an initialize handshake, so a gateway must speak 2026-07-28 to it over stdio:
// server/discover first, then every request with the client data in its _meta.
// Tool: echo {message}, answering "Echo: <message>"; tools/list says ttlMs 60000, cacheScope public.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'stateless-stdio-peer', version: '1.0.0' },
    { cacheHints: { 'tools/list': { ttlMs: 60000, cacheScope: 'public' } } });
  server.registerTool('echo', { description: 'Echo a message', inputSchema: z.object({ message: z.string() }) },
    async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));
  return server;
}, { legacy: 'reject' });
