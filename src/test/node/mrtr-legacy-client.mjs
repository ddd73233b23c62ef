#!/usr/bin/env node
// A 2025-11-25 client (TypeScript SDK v1) calling tools whose upstream answers input-required.
//
//   node mrtr-legacy-client.mjs <mcpUrl> <elicitTool> <samplingTool>
//
// Its elicitation and sampling handlers answer the gateway's server-to-client requests. Prints
// ONE JSON line (texts of the results and how often each handler ran), or exits 1.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const [url, elicitTool, samplingTool] = process.argv.slice(2);
const overall = setTimeout(() => {
  console.error('mrtr-legacy-client: overall timeout (60 s) exceeded');
  process.exit(1);
}, 60_000);
const calls = { elicitation: 0, sampling: 0 };

try {
  const client = new Client({ name: 'junction-mrtr-legacy-client', version: '1.0.0' },
    { capabilities: { elicitation: {}, sampling: {} } });
  client.setRequestHandler(ElicitRequestSchema, async () => {
    calls.elicitation++;
    return { action: 'accept', content: { name: 'Grace' } };
  });
  client.setRequestHandler(CreateMessageRequestSchema, async () => {
    calls.sampling++;
    return { role: 'assistant', content: { type: 'text', text: 'legacy-sampled' }, model: 'm', stopReason: 'endTurn' };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const text = (r) => r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');
  const elicited = await client.callTool({ name: elicitTool, arguments: {} });
  const sampled = await client.callTool({ name: samplingTool, arguments: {} });
  const out = { elicited: text(elicited), sampled: text(sampled), calls,
    protocolVersion: client.transport?.protocolVersion ?? null };
  await client.close().catch(() => {});
  process.stdout.write(JSON.stringify(out) + '\n');
  clearTimeout(overall);
  process.exit(0);
} catch (err) {
  console.error('mrtr-legacy-client failed:', err?.stack ?? err);
  process.exit(1);
}
