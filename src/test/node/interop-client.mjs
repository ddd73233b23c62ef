#!/usr/bin/env node
// Interop client for Junction, built on the official MCP TypeScript SDK v1.
//
//   node interop-client.mjs <mcpUrl> <scenario> [toolPrefix]
//
// Scenario "basic" (against server-everything, directly or through the gateway):
// listTools, echo, a progress-reporting tool, a tool that makes the server send
// sampling/createMessage to us, and one that makes it send elicitation/create.
// Prints ONE JSON line on stdout and exits 0; on any error prints it to stderr and exits 1.
// toolPrefix (e.g. "everything_") is prepended to every tool name we look up or call.
// With INTEROP_TRANSPORT=sse the client speaks the legacy HTTP+SSE transport (2024-11-05, SSEClientTransport)
// and <mcpUrl> is the GET /sse URL.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

const [url, scenario, prefix = ''] = process.argv.slice(2);
if (!url || !scenario) {
  console.error('usage: node interop-client.mjs <mcpUrl> <scenario> [toolPrefix]');
  process.exit(2);
}

// Hard bound on the whole run.
const overall = setTimeout(() => {
  console.error('interop-client: overall timeout (60 s) exceeded');
  process.exit(1);
}, 60_000);

const calls = { sampling: 0, elicitation: 0, roots: 0 };

const client = new Client(
  { name: 'junction-interop-client', version: '1.0.0' },
  { capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } } },
);

// sampling/createMessage: always answer with a fixed assistant message.
client.setRequestHandler(CreateMessageRequestSchema, async () => {
  calls.sampling++;
  return {
    role: 'assistant',
    content: { type: 'text', text: 'sampled-by-interop-client' },
    model: 'interop-model',
    stopReason: 'endTurn',
  };
});

// elicitation/create: accept, with a value for every property of the requested schema.
client.setRequestHandler(ElicitRequestSchema, async (req) => {
  calls.elicitation++;
  const schema = req.params.requestedSchema ?? { properties: {} };
  const content = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const v = fillValue(prop);
    if (v !== undefined) content[key] = v;
  }
  return { action: 'accept', content };
});

// roots/list: one fixed root.
client.setRequestHandler(ListRootsRequestSchema, async () => {
  calls.roots++;
  return { roots: [{ uri: 'file:///tmp/interop', name: 'interop' }] };
});

// A value that satisfies one (flat) elicitation schema property.
function fillValue(prop) {
  const firstOf = (list) => (list && list.length ? (list[0].const ?? list[0]) : undefined);
  switch (prop.type) {
    case 'boolean':
      return true;
    case 'number':
    case 'integer': {
      let n = 1;
      if (prop.minimum !== undefined && n < prop.minimum) n = Math.ceil(prop.minimum);
      if (prop.maximum !== undefined && n > prop.maximum) n = Math.floor(prop.maximum);
      return n;
    }
    case 'array': {
      const item = firstOf(prop.items?.enum) ?? firstOf(prop.items?.anyOf) ?? firstOf(prop.items?.oneOf);
      return item === undefined ? [] : [item];
    }
    case 'string': {
      const choice = firstOf(prop.enum) ?? firstOf(prop.oneOf) ?? firstOf(prop.anyOf);
      if (choice !== undefined) return choice;
      if (prop.format === 'email') return 'interop@example.com';
      if (prop.format === 'uri') return 'https://example.com/interop';
      if (prop.format === 'date') return '2000-01-01';
      if (prop.format === 'date-time') return '2000-01-01T00:00:00Z';
      return 'interop';
    }
    default:
      return undefined;
  }
}

// Text of all text content blocks of a tool result; a tool-level error is fatal.
function textOf(result, what) {
  if (result.isError) throw new Error(`${what} returned isError: ${JSON.stringify(result.content)}`);
  return (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

async function basic(transport) {
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  // Tool names changed across server-everything releases: take the first that is listed.
  // (Sampling/elicitation tools are only listed when the client declares those capabilities.)
  const pick = (...candidates) => {
    const found = candidates.map((c) => prefix + c).find((n) => names.includes(n));
    if (!found) throw new Error(`none of [${candidates}] (prefix "${prefix}") in tools/list: ${names}`);
    return found;
  };

  const echo = textOf(await client.callTool({ name: pick('echo'), arguments: { message: 'hello from interop' } }), 'echo');

  const progress = [];
  const progressResult = textOf(
    await client.callTool(
      { name: pick('trigger-long-running-operation', 'longRunningOperation'), arguments: { duration: 2, steps: 4 } },
      undefined,
      { onprogress: (p) => progress.push({ progress: p.progress, total: p.total }), timeout: 30_000 },
    ),
    'long running operation',
  );

  const sampling = textOf(
    await client.callTool({ name: pick('trigger-sampling-request', 'sampleLLM'), arguments: { prompt: 'interop', maxTokens: 16 } }),
    'sampling',
  );

  const elicitation = textOf(
    await client.callTool({ name: pick('trigger-elicitation-request', 'startElicitation'), arguments: {} }),
    'elicitation',
  );

  // resources and prompts: list them, read and get the first of each
  const { resources } = await client.listResources();
  const read = resources.length ? await client.readResource({ uri: resources[0].uri }) : { contents: [] };
  const { prompts } = await client.listPrompts();
  const simple = prompts.find((p) => !(p.arguments ?? []).some((a) => a.required));
  const prompt = simple ? await client.getPrompt({ name: simple.name, arguments: {} }) : { messages: [] };

  return {
    tools: names,
    resources: resources.length,
    resourceContents: read.contents.length,
    prompts: prompts.map((p) => p.name),
    promptMessages: prompt.messages.length,
    echo,
    progress,
    progressResult,
    sampling,
    elicitation,
    samplingHandlerCalls: calls.sampling,
    elicitationHandlerCalls: calls.elicitation,
    rootsHandlerCalls: calls.roots,
    protocolVersion: transport.protocolVersion ?? null,
    serverInfo: client.getServerVersion() ?? null,
  };
}

const scenarios = { basic };

try {
  const run = scenarios[scenario];
  if (!run) throw new Error(`unknown scenario: ${scenario} (known: ${Object.keys(scenarios)})`);
  const transport = process.env.INTEROP_TRANSPORT === 'sse'
    ? new SSEClientTransport(new URL(url))
    : new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  const out = await run(transport);
  // Best-effort session cleanup (HTTP DELETE), then close.
  await transport.terminateSession?.().catch(() => {});
  await client.close().catch(() => {});
  process.stdout.write(JSON.stringify(out) + '\n');
  clearTimeout(overall);
  process.exit(0);
} catch (err) {
  console.error('interop-client failed:', err?.stack ?? err);
  process.exit(1);
}
