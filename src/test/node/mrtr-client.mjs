#!/usr/bin/env node
// A 2026-07-28 client (TypeScript SDK v2) that answers input-required rounds (MRTR).
//
//   node mrtr-client.mjs <mcpUrl> <elicitTool> <samplingTool>
//
// Declares elicitation and sampling; the SDK fulfils each input_required result through the
// handlers below and retries with inputResponses and requestState. Calls both tools and prints
// ONE JSON line (texts of the results and how often each handler ran), or exits 1.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const [url, elicitTool, samplingTool] = process.argv.slice(2);
const overall = setTimeout(() => {
  console.error('mrtr-client: overall timeout (60 s) exceeded');
  process.exit(1);
}, 60_000);
const calls = { elicitation: 0, sampling: 0 };

try {
  const client = new Client({ name: 'junction-mrtr-client', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } }, capabilities: { elicitation: {}, sampling: {} } });
  client.setRequestHandler('elicitation/create', async () => {
    calls.elicitation++;
    return { action: 'accept', content: { name: 'Ada Lovelace' } };
  });
  client.setRequestHandler('sampling/createMessage', async () => {
    calls.sampling++;
    return { role: 'assistant', content: { type: 'text', text: 'sampled-through-mrtr' }, model: 'mrtr-model',
      stopReason: 'endTurn' };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const { tools } = await client.listTools();
  const text = (r) => r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');
  const elicited = await client.callTool({ name: elicitTool, arguments: {} });
  const sampled = await client.callTool({ name: samplingTool, arguments: { prompt: 'hi', maxTokens: 10 } });
  const out = { tools: tools.map((t) => t.name), elicited: text(elicited), sampled: text(sampled), calls,
    protocolVersion: client.getNegotiatedProtocolVersion() ?? null };
  await client.close().catch(() => {});
  process.stdout.write(JSON.stringify(out) + '\n');
  clearTimeout(overall);
  process.exit(0);
} catch (err) {
  console.error('mrtr-client failed:', err?.stack ?? err);
  process.exit(1);
}
