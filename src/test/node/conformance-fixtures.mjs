// The fixtures that the conformance suite's server scenarios call by name (tools, resources, prompts,
// completions), shared by conformance-legacy-server.mjs (SDK v1, 2025-11-25) and
// conformance-modern-server.mjs (SDK v2, 2026-07-28). Both SDKs' McpServer have the same register*
// methods; what differs (how a handler sends a notification, the ResourceTemplate and completable
// classes) comes in through `sdk`.
import * as z from 'zod';

// A 1x1 PNG and a 44-byte silent WAV, base64.
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
export const WAV = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=';

const text = (t) => ({ content: [{ type: 'text', text: t }] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The JSON Schema 2020-12 input schema json-schema-2020-12 expects back verbatim. */
export const SCHEMA_2020_12 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: { address: { $anchor: 'addressDef', type: 'object',
    properties: { street: { type: 'string' }, city: { type: 'string' } } } },
  properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] }, phone: { type: 'string' }, email: { type: 'string' } },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
};

/**
 * Registers the era-independent fixtures on `server`.
 * sdk: { ResourceTemplate, completable, notify(ctx, notification), progressToken(ctx) }.
 */
export function registerCommon(server, sdk) {
  server.registerTool('test_simple_text', { description: 'Returns simple text' },
    async () => text('This is a simple text response for testing.'));
  server.registerTool('test_image_content', { description: 'Returns an image' },
    async () => ({ content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] }));
  server.registerTool('test_audio_content', { description: 'Returns audio' },
    async () => ({ content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] }));
  server.registerTool('test_embedded_resource', { description: 'Returns an embedded resource' },
    async () => ({ content: [{ type: 'resource', resource: { uri: 'test://embedded-resource',
      mimeType: 'text/plain', text: 'This is an embedded resource content.' } }] }));
  server.registerTool('test_multiple_content_types', { description: 'Returns text, an image and a resource' },
    async () => ({ content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: PNG, mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json',
        text: JSON.stringify({ test: 'data', value: 123 }) } },
    ] }));
  server.registerTool('test_error_handling', { description: 'Always fails' },
    async () => ({ isError: true, content: [{ type: 'text',
      text: 'This tool intentionally returns an error for testing' }] }));
  server.registerTool('test_tool_with_logging', { description: 'Logs three messages' }, async (ctx) => {
    for (const [i, data] of ['Tool execution started', 'Tool processing data', 'Tool execution completed'].entries()) {
      if (i > 0) await sleep(50);
      await sdk.notify(ctx, { method: 'notifications/message', params: { level: 'info', data } });
    }
    return text('Tool with logging executed successfully');
  });
  server.registerTool('test_tool_with_progress', { description: 'Reports progress' }, async (ctx) => {
    const token = sdk.progressToken(ctx);
    for (const progress of [0, 50, 100]) {
      if (progress > 0) await sleep(50);
      if (token !== undefined) {
        await sdk.notify(ctx, { method: 'notifications/progress',
          params: { progressToken: token, progress, total: 100 } });
      }
    }
    return text('Tool with progress executed successfully');
  });

  server.registerResource('static-text', 'test://static-text',
    { description: 'A static text resource', mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain',
      text: 'This is the content of the static text resource.' }] }));
  server.registerResource('static-binary', 'test://static-binary',
    { description: 'A static binary resource', mimeType: 'image/png' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG }] }));
  server.registerResource('watched-resource', 'test://watched-resource',
    { description: 'A resource to subscribe to', mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content.' }] }));
  server.registerResource('template',
    new sdk.ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { description: 'A resource template', mimeType: 'application/json' },
    async (uri, { id }) => ({ contents: [{ uri: uri.href, mimeType: 'application/json',
      text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }] }));

  server.registerPrompt('test_simple_prompt', { description: 'A prompt without arguments' },
    async () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] }));
  const suggest = (value) => ['paris', 'park', 'party'].filter((v) => v.startsWith(value ?? ''));
  server.registerPrompt('test_prompt_with_arguments', { description: 'A prompt with two arguments',
    argsSchema: { arg1: sdk.completable(z.string().describe('First test argument'), suggest),
      arg2: z.string().describe('Second test argument') } },
  async ({ arg1, arg2 }) => ({ messages: [{ role: 'user', content: { type: 'text',
    text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }] }));
  server.registerPrompt('test_prompt_with_embedded_resource', { description: 'A prompt embedding a resource',
    argsSchema: { resourceUri: z.string().describe('URI of the resource to embed') } },
  async ({ resourceUri }) => ({ messages: [
    { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain',
      text: 'Embedded resource content for testing.' } } },
    { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
  ] }));
  server.registerPrompt('test_prompt_with_image', { description: 'A prompt with an image' },
    async () => ({ messages: [
      { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ] }));
}
