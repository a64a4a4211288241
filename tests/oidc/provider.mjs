// A real OpenID provider for the tests: oidc-provider with one client, test people from a JSON file,
// its own login and consent pages, and a test-only control endpoint that makes the NEXT ID token
// misbehave. Usage: node tests/oidc/provider.mjs <port> <state.json>
//
// The state file (written by the test, read on every request) holds:
//   {"client": {"client_id", "client_secret", "redirect_uris": [...]},
//    "people": {"<login>": {"sub", "email", "email_verified", "name", "groups", "roles"}}}
// A redirect URI added to the file later is allowed too, so a browser test's server can join in.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.argv[2] || process.env.PORT);
const statePath = process.argv[3] || process.env.OIDC_STATE;
const issuer = `http://127.0.0.1:${port}`;

const readState = () => JSON.parse(readFileSync(statePath, 'utf8'));

async function newKey() {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  return { ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

const publicOf = ({ d, p, q, dp, dq, qi, ...rest }) => rest;

const signingKey = await newKey();
const served = [publicOf(signingKey)]; // what /jwks answers; grows when the key rotates
let rotatedKey = null; // once rotated, every ID token is re-signed with this key
let nextMode = null; // what the next ID token does wrong

const { client } = readState();
const provider = new Provider(issuer, {
  clients: [{
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: client.redirect_uris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['test-provider-cookie-key'] },
  pkce: { required: () => true },
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub', 'groups', 'roles', 'tid', 'oid'],
    email: ['email', 'email_verified', 'xms_edov'],
    profile: ['name'],
  },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const person = readState().people[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return { ...person, sub: id }; // the login typed on the provider's page is the subject
      },
    };
  },
});
provider.proxy = false;

// Redirect URIs added to the state file after start-up are allowed as well.
const allowed = provider.Client.prototype.redirectUriAllowed;
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  return allowed.call(this, value) || readState().client.redirect_uris.includes(value);
};

async function resign(idToken, mode) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = rotatedKey || signingKey;
  let kid = key.kid;
  if (mode === 'wrong_audience') claims.aud = 'some-other-client';
  if (mode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (mode === 'wrong_nonce') claims.nonce = 'not-the-nonce-we-were-given';
  if (mode === 'other_key') key = await newKey(); // same kid as the real key: the signature fails
  if (mode === 'rotate_key') {
    rotatedKey = await newKey();
    served.push(publicOf(rotatedKey));
    key = rotatedKey;
    kid = rotatedKey.kid;
  }
  const privateKey = await jose.importJWK(key, 'RS256');
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/next-id-token' && ctx.method === 'POST') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    nextMode = JSON.parse(Buffer.concat(chunks).toString() || '{}').mode || null;
    ctx.body = { mode: nextMode };
    return;
  }
  if (ctx.path === '/jwks' && ctx.method === 'GET') {
    ctx.body = { keys: served };
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.method === 'POST' && ctx.status === 200 && ctx.body?.id_token) {
    if (nextMode || rotatedKey) {
      const mode = nextMode;
      nextMode = null;
      ctx.body = { ...ctx.body, id_token: await resign(ctx.body.id_token, mode) };
    }
  }
});

// The test process holds our stdin open: when it goes (even killed), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc test provider listening on ${issuer}`);
});
