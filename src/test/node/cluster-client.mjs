#!/usr/bin/env node
// A full MCP session whose HTTP requests rotate over the nodes of a Junction cluster, as a
// Service without affinity would spread them. Built on the official MCP TypeScript SDK v1.
//
//   node cluster-client.mjs <mcpUrl1>,<mcpUrl2>,... [toolPrefix]
//
// initialize, lists, calls, progress, sampling, elicitation, roots, a resource subscription
// (updates arrive on the GET stream), cancellation, DELETE. Prints ONE JSON line and exits 0;
// on any error prints it to stderr and exits 1.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';

const [list, prefix = ''] = process.argv.slice(2);
if (!list) {
  console.error('usage: node cluster-client.mjs <mcpUrl1>,<mcpUrl2>,... [toolPrefix]');
  process.exit(2);
}
const urls = list.split(',').map((u) => new URL(u));

const overall = setTimeout(() => {
  console.error('cluster-client: overall timeout (90 s) exceeded');
  process.exit(1);
}, 90_000);

// Every HTTP request goes to the next node in turn.
let turn = 0;
const byNode = urls.map(() => ({}));
const rotating = (input, init) => {
  const i = turn++ % urls.length;
  const target = new URL(typeof input === 'string' ? input : input.url ?? String(input));
  target.protocol = urls[i].protocol;
  target.host = urls[i].host;
  const method = init?.method ?? 'GET';
  byNode[i][method] = (byNode[i][method] ?? 0) + 1;
  return fetch(target, init);
};

const calls = { sampling: 0, elicitation: 0, roots: 0 };
const client = new Client(
  { name: 'junction-cluster-client', version: '1.0.0' },
  { capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } } },
);
client.setRequestHandler(CreateMessageRequestSchema, async () => {
  calls.sampling++;
  return { role: 'assistant', content: { type: 'text', text: 'sampled-by-cluster-client' }, model: 'm', stopReason: 'endTurn' };
});
client.setRequestHandler(ElicitRequestSchema, async (req) => {
  calls.elicitation++;
  const content = {};
  for (const [key, prop] of Object.entries(req.params.requestedSchema?.properties ?? {})) {
    const v = fill(prop);
    if (v !== undefined) content[key] = v;
  }
  return { action: 'accept', content };
});
client.setRequestHandler(ListRootsRequestSchema, async () => {
  calls.roots++;
  return { roots: [{ uri: 'file:///tmp/cluster', name: 'cluster-root' }] };
});
let updated = null;
const updates = new Promise((resolve) => {
  updated = resolve;
});
client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => updated(n.params.uri));

function fill(prop) {
  const first = (l) => (l && l.length ? (l[0].const ?? l[0]) : undefined);
  switch (prop.type) {
    case 'boolean': return true;
    case 'number':
    case 'integer': return Math.max(1, prop.minimum ?? 1);
    case 'array': return [first(prop.items?.enum) ?? first(prop.items?.anyOf) ?? first(prop.items?.oneOf)].filter((x) => x !== undefined);
    case 'string': {
      const c = first(prop.enum) ?? first(prop.oneOf) ?? first(prop.anyOf);
      if (c !== undefined) return c;
      return { email: 'c@example.com', uri: 'https://example.com', date: '2000-01-01', 'date-time': '2000-01-01T00:00:00Z' }[prop.format] ?? 'cluster';
    }
    default: return undefined;
  }
}

function textOf(result, what) {
  if (result.isError) throw new Error(`${what} returned isError: ${JSON.stringify(result.content)}`);
  return (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

function within(ms, promise, what) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms))]);
}

try {
  const transport = new StreamableHTTPClientTransport(urls[0], { fetch: rotating });
  await client.connect(transport);
  const sessionId = transport.sessionId;
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  const pick = (n) => {
    if (!names.includes(prefix + n)) throw new Error(`${prefix + n} not in tools/list: ${names}`);
    return prefix + n;
  };
  const { resources } = await client.listResources();
  const { prompts } = await client.listPrompts();
  const echoes = [];
  for (let i = 0; i < 6; i++) {
    echoes.push(textOf(await client.callTool({ name: pick('echo'), arguments: { message: `hello ${i}` } }), 'echo'));
  }
  const progress = [];
  const progressResult = textOf(await client.callTool(
    { name: pick('trigger-long-running-operation'), arguments: { duration: 1, steps: 3 } }, undefined,
    { onprogress: (p) => progress.push(p.progress), timeout: 30_000 }), 'long running operation');
  const sampling = textOf(await client.callTool({ name: pick('trigger-sampling-request'), arguments: { prompt: 'c', maxTokens: 8 } }), 'sampling');
  const elicitation = textOf(await client.callTool({ name: pick('trigger-elicitation-request'), arguments: {} }), 'elicitation');
  const roots = textOf(await client.callTool({ name: pick('get-roots-list'), arguments: {} }), 'roots');

  // a resource subscription: the upstream's updates come over the session's GET stream
  const uri = resources[0].uri;
  await client.subscribeResource({ uri });
  textOf(await client.callTool({ name: pick('toggle-subscriber-updates'), arguments: {} }), 'subscriber updates');
  const updatedUri = await within(20_000, updates, 'resources/updated');
  await client.unsubscribeResource({ uri });

  // cancellation: abort a long call once it has reported progress, then the session still works
  const controller = new AbortController();
  let cancelled = 'not cancelled';
  try {
    await client.callTool({ name: pick('trigger-long-running-operation'), arguments: { duration: 5, steps: 5 } }, undefined,
      { signal: controller.signal, onprogress: () => controller.abort('enough'), timeout: 30_000 });
  } catch (e) {
    cancelled = String(e?.message ?? e);
  }
  const afterCancel = textOf(await client.callTool({ name: pick('echo'), arguments: { message: 'after cancel' } }), 'echo');

  await transport.terminateSession();
  let afterDelete = 'still there';
  try {
    await client.callTool({ name: pick('echo'), arguments: { message: 'after delete' } });
  } catch (e) {
    afterDelete = String(e?.message ?? e);
  }
  await client.close().catch(() => {});
  process.stdout.write(JSON.stringify({
    sessionId, tools: names, resources: resources.length, prompts: prompts.length, echoes, progress, progressResult,
    sampling, elicitation, roots, updatedUri, subscribedUri: uri, cancelled, afterCancel, afterDelete,
    handlerCalls: calls, byNode,
  }) + '\n');
  clearTimeout(overall);
  process.exit(0);
} catch (err) {
  console.error('cluster-client failed:', err?.stack ?? err, JSON.stringify({ byNode }));
  process.exit(1);
}
