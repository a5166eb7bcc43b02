// A real OpenID provider for Assay's single sign-on tests: panva's certified `oidc-provider`,
// with its own development login and consent pages, on 127.0.0.1.
//
//   node provider.mjs '<config JSON>'
//
// The config: { "port": 0, "clients": [{ "client_id", "client_secret", "redirect_uris" }],
//               "accounts": [{ "login", "email", "name"?, "claims"?: { "assay_role": … } }],
//               "id_token_ttl"?: seconds }
// Port 0 picks a free port. Once listening it prints one line, `{"issuer": "http://127.0.0.1:PORT"}`,
// and serves until killed. The login page accepts any password for a configured login.
//
// Test-only endpoints beside the provider (never part of a real one):
//   POST /__admin/rotate  a new RSA signing key replaces the old one (the JWKS then lists
//                         only the new key), as after a key rotation at a real provider
//   POST /__admin/tamper  {"audience"?, "nonce"?}: the next ID token is issued with that `aud`
//                         or `nonce` (still correctly signed), so the relying party's checks
//                         are what refuses it
//   POST /__admin/claims  {"login", "claims"}: the account's custom claims from now on (a
//                         claim named here must be one some account had at start), as
//                         when someone's groups change at a real provider
//   GET  /__admin/stats   how many times discovery and the JWKS were fetched
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2] ?? '{}');
const accounts = new Map((config.accounts ?? []).map((a) => [a.login, a]));
// Custom claims (the role claim, …) are released with the `openid` scope so that they
// reach the ID token.
const customClaims = new Set();
for (const account of accounts.values()) {
  for (const name of Object.keys(account.claims ?? {})) customClaims.add(name);
}

const stats = { discovery: 0, jwks: 0 };
let tamper = {};

function newSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
}

function makeProvider(issuer, signingKey) {
  const provider = new Provider(issuer, {
    clients: (config.clients ?? []).map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      redirect_uris: c.redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: ['assay-test-provider-cookie-key'] },
    // Claims in the ID token itself, not only from the userinfo endpoint.
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub', ...customClaims],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    pkce: { required: () => true },
    ttl: config.id_token_ttl ? { IdToken: config.id_token_ttl } : undefined,
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: account.email,
            email_verified: true,
            name: account.name ?? id,
            ...(account.claims ?? {}),
          };
        },
      };
    },
  });
  // The test's one-shot changes to the next ID token.
  const issue = provider.IdToken.prototype.issue;
  provider.IdToken.prototype.issue = async function issueTampered(options) {
    if (options?.use !== 'idtoken' || (!tamper.audience && !tamper.nonce)) {
      return issue.call(this, options);
    }
    const { audience, nonce } = tamper;
    tamper = {};
    if (nonce) this.extra.nonce = nonce;
    if (audience) {
      const client = this.client;
      // Every other property (and method, bound to the real client) is the client's own.
      this.client = new Proxy(client, {
        get(target, prop) {
          if (prop === 'clientId') return audience;
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    }
    return issue.call(this, options);
  };
  return provider;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const server = http.createServer();
server.listen(config.port ?? 0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  let provider = makeProvider(issuer, newSigningKey());
  server.on('request', async (req, res) => {
    const path = new URL(req.url, issuer).pathname;
    if (path === '/__admin/rotate' && req.method === 'POST') {
      provider = makeProvider(issuer, newSigningKey());
      res.writeHead(204).end();
      return;
    }
    if (path === '/__admin/tamper' && req.method === 'POST') {
      tamper = JSON.parse((await readBody(req)) || '{}');
      res.writeHead(204).end();
      return;
    }
    if (path === '/__admin/claims' && req.method === 'POST') {
      const { login, claims } = JSON.parse((await readBody(req)) || '{}');
      const account = accounts.get(login);
      if (!account) {
        res.writeHead(404).end();
        return;
      }
      account.claims = claims ?? {};
      res.writeHead(204).end();
      return;
    }
    if (path === '/__admin/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      return;
    }
    if (path === '/.well-known/openid-configuration') stats.discovery += 1;
    if (path === '/jwks') stats.jwks += 1;
    provider.callback()(req, res);
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
