#!/usr/bin/env node
// A 2026-07-28-only MCP server on the official TypeScript SDK v2 with the fixtures that the
// conformance suite's server scenarios expect (ConformanceIT's modern upstream).
//
//   node conformance-modern-server.mjs
//
// Listens on 127.0.0.1 on a free port and prints JUNCTION_CONFORMANCE_MODERN_PORT=<port> once ready.
// Besides conformance-fixtures.mjs: the input-required (MRTR) tools and prompt, a tool whose string
// parameter travels in an Mcp-Param header (x-mcp-header), caching hints, Host/Origin checks
// (DNS rebinding) and an HMAC-protected requestState for the tampered-state scenario.
import { randomBytes } from 'node:crypto';
import {
  McpServer, ResourceTemplate, completable, createMcpHandler, createRequestStateCodec, fromJsonSchema,
  hostHeaderValidationResponse, inputRequired, localhostAllowedHostnames, localhostAllowedOrigins,
  originValidationResponse,
} from '@modelcontextprotocol/server';
import { registerCommon, SCHEMA_2020_12 } from './conformance-fixtures.mjs';
import { serve } from './fetch-bridge.mjs';

const codec = createRequestStateCodec({ key: randomBytes(32) });
const hint = { ttlMs: 60000, cacheScope: 'public' };
const text = (t) => ({ content: [{ type: 'text', text: t }] });
const askName = (message) => inputRequired.elicit({ message,
  requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
// an answer is a bare ElicitResult/CreateMessageResult/ListRootsResult object
const answered = (ctx, key) => {
  const r = ctx.mcpReq.inputResponses?.[key];
  return r !== null && typeof r === 'object' && !Array.isArray(r) ? r : undefined;
};
const clientCapabilities = (ctx) => ctx.mcpReq.envelope?.clientCapabilities
  ?? ctx.mcpReq.envelope?.['io.modelcontextprotocol/clientCapabilities'] ?? {};

const factory = () => {
  const server = new McpServer({ name: 'junction-conformance-modern', version: '1.0.0' }, {
    capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true }, completions: {}, logging: {} },
    cacheHints: { 'tools/list': hint, 'prompts/list': hint, 'resources/list': hint,
      'resources/templates/list': hint, 'resources/read': hint },
    requestState: { verify: codec.verify },
  });
  registerCommon(server, {
    ResourceTemplate, completable,
    notify: (ctx, n) => ctx.mcpReq.notify(n),
    progressToken: (ctx) => ctx.mcpReq._meta?.progressToken,
  });
  server.registerTool('json_schema_2020_12_tool', { description: 'Has a JSON Schema 2020-12 input schema',
    inputSchema: fromJsonSchema(SCHEMA_2020_12) }, async () => text('ok'));
  server.registerTool('test_header_param', { description: 'Echoes a parameter that travels in Mcp-Param-Region',
    inputSchema: fromJsonSchema({ type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } },
      required: ['region'] }) }, async ({ region }) => text(`Region: ${region}`));

  // --- server-stateless's diagnostic tools (SEP-2575) ---
  // an input request the client cannot answer: the SDK refuses it with -32021 (MissingRequiredClientCapability)
  server.registerTool('test_missing_capability', { description: 'Needs the sampling capability' }, async (ctx) => {
    if (answered(ctx, 'model')) return text('The client can sample');
    return inputRequired({ inputRequests: { model: inputRequired.createMessage({ maxTokens: 10,
      messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }] }) } });
  });
  server.registerTool('test_streaming_elicitation', { description: 'Logs, then elicits in band' }, async (ctx) => {
    if (answered(ctx, 'user_name')) return text('Thanks');
    await ctx.mcpReq.log('info', 'about to ask');
    return inputRequired({ inputRequests: { user_name: askName('What is your name?') } });
  });
  server.registerTool('test_logging_tool', { description: 'Logs at info level' }, async (ctx) => {
    await ctx.mcpReq.log('info', 'test_logging_tool ran');
    return text('Logged');
  });
  server.registerTool('test_trigger_tool_change', { description: 'Announces a tool list change' }, async () => {
    handler.notify.toolsChanged();
    return text('Tools changed');
  });
  server.registerTool('test_trigger_prompt_change', { description: 'Announces a prompt list change' }, async () => {
    handler.notify.promptsChanged();
    return text('Prompts changed');
  });

  // --- the 2025 scenarios' sampling and elicitation tools, as input requests (a gateway bridging a 2025
  // client turns them into server-to-client requests) ---
  const reported = (r) => `Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`;
  const elicitTool = (name, description, params, done) => server.registerTool(name, { description,
    inputSchema: params.schema }, async (...given) => {
    const ctx = given[given.length - 1]; // (args, ctx) with an inputSchema, (ctx) without
    const args = given.length > 1 ? given[0] : {};
    const r = answered(ctx, 'answer');
    return r ? text(done(r)) : inputRequired({ inputRequests: { answer: inputRequired.elicit(params.request(args)) } });
  });
  server.registerTool('test_sampling', { description: 'Asks the client to sample a model',
    inputSchema: fromJsonSchema({ type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] }) },
  async ({ prompt }, ctx) => {
    const r = answered(ctx, 'answer');
    if (r) return text(`LLM response: ${r.content?.text ?? ''}`);
    return inputRequired({ inputRequests: { answer: inputRequired.createMessage({ maxTokens: 100,
      messages: [{ role: 'user', content: { type: 'text', text: prompt } }] }) } });
  });
  elicitTool('test_elicitation', 'Asks the user for input', {
    schema: fromJsonSchema({ type: 'object', properties: { message: { type: 'string' } }, required: ['message'] }),
    request: ({ message }) => ({ message, requestedSchema: { type: 'object', properties: {
      username: { type: 'string', description: "User's response" },
      email: { type: 'string', description: "User's email address" },
    }, required: ['username', 'email'] } }),
  }, (r) => `User response: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
  elicitTool('test_elicitation_sep1034_defaults', 'Elicits with defaults', {
    request: () => ({ message: 'Please review your details', requestedSchema: { type: 'object', properties: {
      name: { type: 'string', default: 'John Doe' },
      age: { type: 'integer', default: 30 },
      score: { type: 'number', default: 95.5 },
      status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
      verified: { type: 'boolean', default: true },
    } } }),
  }, reported);
  elicitTool('test_elicitation_sep1330_enums', 'Elicits every enum variant', {
    request: () => ({ message: 'Pick some options', requestedSchema: { type: 'object', properties: {
      untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
      titledSingle: { type: 'string', oneOf: [{ const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' }, { const: 'value3', title: 'Third Option' }] },
      legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'],
        enumNames: ['Option One', 'Option Two', 'Option Three'] },
      untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
      titledMulti: { type: 'array', items: { anyOf: [{ const: 'value1', title: 'First Choice' },
        { const: 'value2', title: 'Second Choice' }, { const: 'value3', title: 'Third Choice' }] } },
    } } }),
  }, reported);

  // --- input-required (MRTR, SEP-2322) ---
  server.registerTool('test_input_required_result_elicitation', { description: 'Elicits a name' }, async (ctx) => {
    const r = answered(ctx, 'user_name');
    if (r?.action === 'accept' && typeof r.content?.name === 'string') return text(`Hello, ${r.content.name}!`);
    if (ctx.mcpReq.inputResponses?.user_name !== undefined && !r) {
      throw Object.assign(new Error('inputResponses.user_name must be an ElicitResult'), { code: -32602 });
    }
    return inputRequired({ inputRequests: { user_name: askName('What is your name?') } });
  });
  server.registerTool('test_input_required_result_sampling', { description: 'Samples a model' }, async (ctx) => {
    const r = answered(ctx, 'capital_question');
    if (r?.content) return text(`The model said: ${r.content.text ?? ''}`);
    return inputRequired({ inputRequests: { capital_question: inputRequired.createMessage({ maxTokens: 100,
      messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }] }) } });
  });
  server.registerTool('test_input_required_result_list_roots', { description: 'Lists the client roots' },
    async (ctx) => {
      const r = answered(ctx, 'client_roots');
      if (Array.isArray(r?.roots)) return text(`Roots: ${r.roots.map((x) => x.uri).join(', ')}`);
      return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
    });
  server.registerTool('test_input_required_result_request_state', { description: 'Round-trips requestState' },
    async (ctx) => {
      const state = ctx.mcpReq.requestState();
      if (answered(ctx, 'confirm') && state?.step === 'confirm') return text('Confirmed: state-ok');
      return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: 'Please confirm',
        requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } }) },
      requestState: await codec.mint({ step: 'confirm' }) });
    });
  server.registerTool('test_input_required_result_multiple_inputs', { description: 'Asks three things at once' },
    async (ctx) => {
      const keys = ['user_name', 'greeting', 'client_roots'];
      if (ctx.mcpReq.requestState()?.step === 'all' && keys.every((k) => answered(ctx, k))) {
        return text(`Hello, ${answered(ctx, 'user_name').content?.name}: all inputs received`);
      }
      return inputRequired({ inputRequests: {
        user_name: askName('What is your name?'),
        greeting: inputRequired.createMessage({ maxTokens: 50,
          messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }] }),
        client_roots: inputRequired.listRoots(),
      }, requestState: await codec.mint({ step: 'all' }) });
    });
  server.registerTool('test_input_required_result_multi_round', { description: 'Asks twice' }, async (ctx) => {
    const state = ctx.mcpReq.requestState();
    if (state?.round === 2 && answered(ctx, 'step2')) {
      return text(`${state.name} likes ${answered(ctx, 'step2').content?.color}`);
    }
    if (state?.round === 1 && answered(ctx, 'step1')) {
      return inputRequired({ inputRequests: { step2: inputRequired.elicit({
        message: 'Step 2: What is your favorite color?',
        requestedSchema: { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] } }) },
      requestState: await codec.mint({ round: 2, name: answered(ctx, 'step1').content?.name }) });
    }
    return inputRequired({ inputRequests: { step1: askName('Step 1: What is your name?') },
      requestState: await codec.mint({ round: 1 }) });
  });
  server.registerTool('test_input_required_result_tampered_state', { description: 'Signs its requestState' },
    async (ctx) => {
      if (ctx.mcpReq.requestState()?.step === 'signed' && answered(ctx, 'confirm')) return text('State verified');
      return inputRequired({ inputRequests: { confirm: askName('Who are you?') },
        requestState: await codec.mint({ step: 'signed' }) });
    });
  server.registerTool('test_input_required_result_capabilities', { description: 'Asks only what the client can do' },
    async (ctx) => {
      if (answered(ctx, 'model') || answered(ctx, 'user_name')) return text('Done');
      const caps = clientCapabilities(ctx);
      const inputRequests = {};
      if (caps.sampling) {
        inputRequests.model = inputRequired.createMessage({ maxTokens: 20,
          messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }] });
      }
      if (caps.elicitation) inputRequests.user_name = askName('What is your name?');
      if (Object.keys(inputRequests).length === 0) return text('The client declared neither sampling nor elicitation');
      return inputRequired({ inputRequests });
    });
  server.registerPrompt('test_input_required_result_prompt', { description: 'Elicits its context' }, async (ctx) => {
    const r = answered(ctx, 'user_context');
    if (r) {
      return { messages: [{ role: 'user', content: { type: 'text', text: `Context: ${r.content?.context ?? ''}` } }] };
    }
    return inputRequired({ inputRequests: { user_context: inputRequired.elicit({
      message: 'What context should the prompt use?',
      requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] } }) } });
  });
  return server;
};
const handler = createMcpHandler(factory, { legacy: 'reject' });
// DNS rebinding checks first: a foreign Host or Origin is refused before the handler sees it
serve(handler, 'JUNCTION_CONFORMANCE_MODERN_PORT', (request) =>
  hostHeaderValidationResponse(request, localhostAllowedHostnames())
    ?? originValidationResponse(request, localhostAllowedOrigins()));
