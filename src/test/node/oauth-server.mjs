#!/usr/bin/env node
// A real OAuth 2.0 authorization server for Junction's tests, on oidc-provider.
//
//   node oauth-server.mjs <port|0> [--format jwt|opaque] [--ttl <seconds>]
//
// Listens on 127.0.0.1:<port> (0 = a free port) and prints JUNCTION_OIDC_PORT=<port> on stdout once
// ready. The issuer is http://127.0.0.1:<port>: oidc-provider takes any http(s) URI as issuer, no
// flag needed. Discovery is served at /.well-known/openid-configuration and, with the same document,
// at /.well-known/oauth-authorization-server (RFC 8414).
//
// Enabled: open dynamic client registration (RFC 7591, no initial access token; a
// client_credentials-only client must send "response_types": [], or redirect_uris is required), the
// client_credentials grant, token introspection (RFC 7662) and resource indicators (RFC 8707).
// A client_credentials request with `resource=<absolute URI>` gets an access token whose audience
// is that resource; --format picks its format (jwt, the default: an RS256 `at+jwt` signed with a
// key generated at start and published at /jwks; opaque: introspectable). Requested scopes are
// granted as asked. A token request without `resource` gets an opaque token without audience.
// Introspection only knows opaque tokens: oidc-provider answers 400 unsupported_token_type for a
// JWT access token (it never stores one). Any authenticated client may introspect any token.
//
// Everything lives in memory (oidc-provider's default adapter) and the signing key is new on every
// start, so a restart forgets every client and token.
//
// Besides the port line, stdout gets one JSON line per event (oidc-provider may add a plain-text
// "NOTICE" line for a default helper it wants replaced; readers skip lines not starting with '{'):
//   {"event":"registration","client_id":"..."}
//   {"event":"token","client_id":"...","grant":"client_credentials","resource":"..."}
//   {"event":"token_error","client_id":"...","grant":"client_credentials","error":"invalid_client"}
// No secret or token is ever printed.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { format: { type: 'string', default: 'jwt' }, ttl: { type: 'string', default: '600' } },
});
const port = Number(positionals[0] ?? 0);
const format = values.format;
const ttl = Number(values.ttl);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !['jwt', 'opaque'].includes(format)
    || !Number.isInteger(ttl) || ttl <= 0) {
  console.error('usage: node oauth-server.mjs <port|0> [--format jwt|opaque] [--ttl <seconds>]');
  process.exit(2);
}

const emit = (event) => console.log(JSON.stringify(event));

// The client_id a failed request claimed (form parameter or Basic user name), so a test can tell
// whose request failed; the password half of the header is never read.
const claimedClientId = (ctx) => {
  if (ctx.oidc.params?.client_id) return ctx.oidc.params.client_id;
  const [scheme, value] = (ctx.get('authorization') ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !value) return null;
  const user = Buffer.from(value, 'base64').toString('utf8').split(':')[0];
  try {
    return decodeURIComponent(user.replace(/\+/g, ' '));
  } catch {
    return null;
  }
};

const server = createServer();
server.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  const issuer = `http://127.0.0.1:${actual}`;
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    .export({ format: 'jwk' });

  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...signingKey, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: {
      // No end-user flows here; the dev login pages would only add warnings.
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false },
      clientCredentials: { enabled: true },
      // A resource server registers as a client to introspect; this server lets every client
      // introspect every token (replacing the default policy also silences its notice).
      introspection: { enabled: true, allowedPolicy: async () => true },
      resourceIndicators: {
        enabled: true,
        // Every absolute URI is a resource server that accepts any requested scope.
        getResourceServerInfo: (ctx) => ({
          scope: ctx.oidc.params.scope ?? '',
          accessTokenFormat: format,
          accessTokenTTL: ttl,
          ...(format === 'jwt' ? { jwt: { sign: { alg: 'RS256' } } } : {}),
        }),
      },
    },
    ttl: { ClientCredentials: ttl },
  });

  provider.on('registration_create.success', (ctx, client) => emit({ event: 'registration', client_id: client.clientId }));
  provider.on('grant.success', (ctx) => emit({
    event: 'token', client_id: ctx.oidc.client?.clientId, grant: ctx.oidc.params.grant_type,
    resource: ctx.oidc.params.resource,
  }));
  provider.on('grant.error', (ctx, error) => emit({
    event: 'token_error', client_id: ctx.oidc.client?.clientId ?? claimedClientId(ctx), grant: ctx.oidc.params?.grant_type,
    error: error.error ?? 'server_error',
  }));
  provider.on('server_error', (ctx, error) => console.error('oauth-server: server_error', error));

  server.on('request', provider.callback());
  console.log(`JUNCTION_OIDC_PORT=${actual}`);
});

// SIGTERM (default for Process.destroy() in Java) should end the server promptly.
process.on('SIGTERM', () => process.exit(0));
