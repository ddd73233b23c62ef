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
import { McpServer, createMcpHandler, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { serve } from './fetch-bridge.mjs';

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
serve(handler, 'JUNCTION_MRTR_PORT');
