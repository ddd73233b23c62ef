#!/usr/bin/env node
// A stdio MCP server on the official TypeScript SDK v1 that tells what it was started with, for
// Junction's stdio isolation tests.
//
//   node env-stdio-server.mjs
//
// Tool: environment {}, answering one text block with JSON {env, cwd, pid}: the whole process
// environment, the working directory and the process id. It exits when stdin closes.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const server = new McpServer({ name: 'env-peer', version: '1.0.0' });
server.registerTool('environment', { description: 'This process: environment, working directory, pid' },
  async () => ({
    content: [{ type: 'text', text: JSON.stringify({ env: process.env, cwd: process.cwd(), pid: process.pid }) }],
  }));
await server.connect(new StdioServerTransport());
process.stdin.on('close', () => process.exit(0));
