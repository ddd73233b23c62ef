// Serves a fetch-style MCP handler (the TypeScript SDK v2's createMcpHandler) over node:http for
// the interop servers: on 127.0.0.1 and a free port, printing <portVariable>=<port> once listening,
// and exiting on SIGTERM. check(request) may answer a request itself (Host and Origin checks);
// when it returns null or undefined, the handler answers.
import { createServer } from 'node:http';

export function serve(handler, portVariable, check = () => null) {
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
    const response = check(request) ?? await handler.fetch(request);
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    if (response.body) {
      for await (const chunk of response.body) res.write(chunk);
    }
    res.end();
  });
  httpServer.listen(0, '127.0.0.1', () => console.log(`${portVariable}=${httpServer.address().port}`));
  process.on('SIGTERM', () => process.exit(0));
  return httpServer;
}
