#!/usr/bin/env node
// A 2026-07-28-only server (TypeScript SDK v2) whose tools answer input-required (MRTR).
//
//   node mrtr-server.mjs
//
// Prints JUNCTION_MRTR_PORT=<port> once listening. Tools:
//   ask-name: elicits a name, then answers "Hello, <name>";
//   ask-model: asks for a sampling/createMessage, then answers "Model said: <text>".
//   poke: announces notifications/tools/list_changed and notifications/resources/updated for
//   mrtr://thing on every open subscriptions/listen stream (the SDK serves those streams).
// ask-name keeps its round in requestState.
import { createServer } from 'node:http';
import { McpServer, createMcpHandler, inputRequired, inputResponse } from '@modelcontextprotocol/server';

const factory = () => {
  const server = new McpServer({ name: 'mrtr-peer', version: '1.0.0' },
    { capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true } } });
  server.registerResource('thing', 'mrtr://thing', { mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, text: 'a thing' }] }));
  server.registerTool('poke', { description: 'Announces a change' }, async () => {
    handler.notify.toolsChanged();
    handler.notify.resourceUpdated('mrtr://thing');
    return { content: [{ type: 'text', text: 'poked' }] };
  });
  server.registerTool('ask-name', { description: 'Elicits a name' }, async (ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'name');
    if (answer.kind === 'elicit' && answer.action === 'accept') {
      return { content: [{ type: 'text', text: `Hello, ${answer.content.name}` }] };
    }
    return inputRequired({ inputRequests: { name: inputRequired.elicit({ message: 'Your name?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }) },
      requestState: 'asked-name' });
  });
  server.registerTool('ask-model', { description: 'Samples a model' }, async (ctx) => {
    const entry = ctx.mcpReq.inputResponses?.model;
    if (entry && entry.content) {
      return { content: [{ type: 'text', text: `Model said: ${entry.content.text}` }] };
    }
    return inputRequired({ inputRequests: { model: inputRequired.createMessage({ maxTokens: 10,
      messages: [{ role: 'user', content: { type: 'text', text: 'Say something' } }] }) } });
  });
  return server;
};
const handler = createMcpHandler(factory, { legacy: 'reject' });

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
httpServer.listen(0, '127.0.0.1', () => console.log(`JUNCTION_MRTR_PORT=${httpServer.address().port}`));
process.on('SIGTERM', () => process.exit(0));
