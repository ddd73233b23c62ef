#!/usr/bin/env node
// A session-based (2025-11-25) MCP server on the official TypeScript SDK v1 (Streamable HTTP) with the
// fixtures that the conformance suite's server scenarios expect (ConformanceIT's legacy upstream).
//
//   node conformance-legacy-server.mjs
//
// Listens on 127.0.0.1 on a free port and prints JUNCTION_CONFORMANCE_LEGACY_PORT=<port> once ready.
// Besides conformance-fixtures.mjs: sampling and elicitation tools (server-to-client requests),
// resource subscriptions, logging, an event store and a test_reconnection tool that closes its SSE
// stream mid-call (SEP-1699 polling), sessions that end with DELETE, and Host/Origin checks.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema, isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { registerCommon, SCHEMA_2020_12 } from './conformance-fixtures.mjs';

const text = (t) => ({ content: [{ type: 'text', text: t }] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Keeps every event of every stream so that a client can resume after Last-Event-ID. */
class MemoryEventStore {
  events = new Map();
  async storeEvent(streamId, message) {
    const id = `${streamId}_${randomUUID()}`;
    this.events.set(id, { streamId, message });
    return id;
  }
  async getStreamIdForEventId(eventId) {
    return this.events.get(eventId)?.streamId;
  }
  async replayEventsAfter(lastEventId, { send }) {
    const streamId = this.events.get(lastEventId)?.streamId;
    if (streamId === undefined) return '';
    let after = false;
    for (const [id, { streamId: s, message }] of this.events) {
      if (s !== streamId) continue;
      if (after) await send(id, message);
      if (id === lastEventId) after = true;
    }
    return streamId;
  }
}

const newServer = () => {
  const server = new McpServer({ name: 'junction-conformance-legacy', version: '1.0.0' }, {
    capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true }, completions: {}, logging: {} },
  });
  registerCommon(server, {
    ResourceTemplate, completable,
    notify: (extra, n) => extra.sendNotification(n),
    progressToken: (extra) => extra._meta?.progressToken,
  });
  server.registerTool('json_schema_2020_12_tool', { description: 'Has a JSON Schema 2020-12 input schema',
    inputSchema: { name: z.string().optional() } }, async () => text('ok'));
  server.registerTool('test_sampling', { description: 'Asks the client to sample a model',
    inputSchema: { prompt: z.string() } }, async ({ prompt }) => {
    const r = await server.server.createMessage({ maxTokens: 100,
      messages: [{ role: 'user', content: { type: 'text', text: prompt } }] });
    return text(`LLM response: ${r.content?.text ?? ''}`);
  });
  server.registerTool('test_elicitation', { description: 'Asks the user for input',
    inputSchema: { message: z.string() } }, async ({ message }) => {
    const r = await server.server.elicitInput({ message, requestedSchema: { type: 'object', properties: {
      username: { type: 'string', description: "User's response" },
      email: { type: 'string', description: "User's email address" },
    }, required: ['username', 'email'] } });
    return text(`User response: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
  });
  server.registerTool('test_elicitation_sep1034_defaults', { description: 'Elicits with defaults' }, async () => {
    const r = await server.server.elicitInput({ message: 'Please review your details', requestedSchema: {
      type: 'object', properties: {
        name: { type: 'string', default: 'John Doe' },
        age: { type: 'integer', default: 30 },
        score: { type: 'number', default: 95.5 },
        status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
        verified: { type: 'boolean', default: true },
      } } });
    return text(`Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
  });
  server.registerTool('test_elicitation_sep1330_enums', { description: 'Elicits every enum variant' }, async () => {
    const r = await server.server.elicitInput({ message: 'Pick some options', requestedSchema: {
      type: 'object', properties: {
        untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
        titledSingle: { type: 'string', oneOf: [{ const: 'value1', title: 'First Option' },
          { const: 'value2', title: 'Second Option' }, { const: 'value3', title: 'Third Option' }] },
        legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'],
          enumNames: ['Option One', 'Option Two', 'Option Three'] },
        untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
        titledMulti: { type: 'array', items: { anyOf: [{ const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' }, { const: 'value3', title: 'Third Choice' }] } },
      } } });
    return text(`Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
  });
  server.registerTool('test_reconnection', { description: 'Closes its SSE stream mid-call (SEP-1699)' },
    async (extra) => {
      await sleep(100);
      extra.closeSSEStream?.();
      await sleep(200);
      return text('Reconnection test completed');
    });
  // SDK v1 derives inputSchema from zod: put the 2020-12 schema back as it was declared
  const handlers = server.server._requestHandlers;
  const listTools = handlers.get('tools/list');
  handlers.set('tools/list', async (request, extra) => {
    const result = await listTools(request, extra);
    for (const tool of result.tools) {
      if (tool.name === 'json_schema_2020_12_tool') tool.inputSchema = SCHEMA_2020_12;
    }
    return result;
  });
  const subscriptions = new Set();
  server.server.setRequestHandler(SubscribeRequestSchema, async (r) => {
    subscriptions.add(r.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (r) => {
    subscriptions.delete(r.params.uri);
    return {};
  });
  return server;
};

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);
const hostname = (value) => {
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).hostname;
  } catch {
    return undefined;
  }
};

const transports = new Map();
const eventStore = new MemoryEventStore();
const reply = (res, status, message) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message } }));
};

const httpServer = createServer(async (req, res) => {
  // DNS rebinding: only loopback Host and Origin
  if (!LOCAL.has(hostname(req.headers.host ?? '')) || (req.headers.origin && !LOCAL.has(hostname(req.headers.origin)))) {
    reply(res, 403, 'Forbidden host or origin');
    return;
  }
  const chunks = [];
  for await (const c of req) chunks.push(c);
  let body;
  if (req.method === 'POST') {
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }));
      return;
    }
  }
  const sessionId = req.headers['mcp-session-id'];
  let transport = sessionId ? transports.get(sessionId) : undefined;
  if (!transport) {
    if (sessionId) {
      reply(res, 404, 'Session not found');
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      reply(res, 400, 'No session: initialize first');
      return;
    }
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(), eventStore, retryInterval: 500,
      onsessioninitialized: (id) => transports.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) transports.delete(transport.sessionId);
    };
    await newServer().connect(transport);
  }
  await transport.handleRequest(req, res, body);
});
httpServer.listen(0, '127.0.0.1', () => console.log(`JUNCTION_CONFORMANCE_LEGACY_PORT=${httpServer.address().port}`));
process.on('SIGTERM', () => process.exit(0));
