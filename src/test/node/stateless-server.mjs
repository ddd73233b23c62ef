#!/usr/bin/env node
// A 2026-07-28-only MCP server on the official TypeScript SDK v2, for Junction's interop tests.
//
//   node stateless-server.mjs
//
// Listens on 127.0.0.1 on a free port and prints JUNCTION_STATELESS_PORT=<port> once ready.
// legacy: 'reject' makes it refuse every session-based (2025) request, so a gateway must speak
// 2026-07-28 to it: server/discover, _meta envelopes, Mcp-Method/Mcp-Name headers, no sessions.
// Tool: echo {message}, answering "Echo: <message>" (as server-everything's echo does).
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { serve } from './fetch-bridge.mjs';

const factory = () => {
  const server = new McpServer({ name: 'stateless-peer', version: '1.0.0' },
    { cacheHints: { 'tools/list': { ttlMs: 60000, cacheScope: 'public' } } });
  server.registerTool('echo', { description: 'Echo a message', inputSchema: z.object({ message: z.string() }) },
    async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));
  return server;
};
const handler = createMcpHandler(factory, { legacy: 'reject' });
serve(handler, 'JUNCTION_STATELESS_PORT');
