#!/usr/bin/env node
// Stateless (protocol revision 2026-07-28) interop client on the v2 TypeScript SDK.
//
//   node stateless-client.mjs <mcpUrl> [toolPrefix]
//
// The v2 Client defaults to the 2025 initialize handshake ("legacy" mode). Pinning
// versionNegotiation to 2026-07-28 makes connect() send `server/discover` instead of
// `initialize` (no session), and every later request carries the protocol version,
// client info and capabilities in its `_meta` envelope. A pin fails loudly if the
// server does not offer 2026-07-28: there is no fallback to 2025.
// Does tools/list and calls the `echo` tool; prints ONE JSON line and exits 0, or exits 1.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const MODERN = '2026-07-28';
const [url, prefix = ''] = process.argv.slice(2);
if (!url) {
  console.error('usage: node stateless-client.mjs <mcpUrl> [toolPrefix]');
  process.exit(2);
}

const overall = setTimeout(() => {
  console.error('stateless-client: overall timeout (60 s) exceeded');
  process.exit(1);
}, 60_000);

try {
  const client = new Client(
    { name: 'junction-stateless-client', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: MODERN } } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  const echoName = prefix + 'echo';
  if (!names.includes(echoName)) throw new Error(`${echoName} not in tools/list: ${names}`);
  const result = await client.callTool({ name: echoName, arguments: { message: 'hello from stateless' } });
  if (result.isError) throw new Error(`echo returned isError: ${JSON.stringify(result.content)}`);
  const echo = result.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');

  const out = {
    tools: names,
    echo,
    protocolVersion: client.getNegotiatedProtocolVersion() ?? null,
    era: client.getProtocolEra() ?? null,
    sessionId: transport.sessionId ?? null, // expected null: the modern era has no session
  };
  await client.close().catch(() => {});
  process.stdout.write(JSON.stringify(out) + '\n');
  clearTimeout(overall);
  process.exit(0);
} catch (err) {
  console.error('stateless-client failed:', err?.stack ?? err);
  process.exit(1);
}
