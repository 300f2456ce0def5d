import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JWK } from 'jose';
import type { default as Provider, Account } from 'oidc-provider';
import type { Database } from '../../db/database.js';
import { today } from '../../clock.js';
import { escapeHtml, page } from '../../http/html.js';
import { pageHeaders, transportHeaders } from '../../http/plugins/security-headers.js';
import type { PscUserInfo } from './psc-identity.js';

export const DEV_IDP_PATH = '/idp';

export interface DevIdpOptions {
  origin: string;
  /** The platform's own registration at this provider: client id and public key. */
  client: { id: string; jwk: JWK; redirectUri: string };
  /** The provider's signing key (private JWK, ES256). */
  signingKey: JWK;
}

/**
 * A local stand-in for Pro Santé Connect, for development, tests and the demo only: a real
 * OpenID provider (oidc-provider) whose login page simulates the CPS card (no password:
 * the card holder is chosen by RPPS) and whose identities have the PSC shape. Imported
 * only when a server starts: oidc-provider warns at import on Node 20 (it prefers 22),
 * which every command line call would otherwise print.
 */
export async function createDevIdp(db: Database, options: DevIdpOptions): Promise<Provider> {
  const { default: OpenIdProvider } = await import('oidc-provider');
  const provider = new OpenIdProvider(`${options.origin}${DEV_IDP_PATH}`, {
    clients: [
      {
        client_id: options.client.id,
        redirect_uris: [options.client.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        id_token_signed_response_alg: 'ES256',
        // As Pro Santé Connect does for the platform: the ID token says when the card was presented.
        require_auth_time: true,
        jwks: { keys: [options.client.jwk] },
      },
    ],
    jwks: { keys: [options.signingKey] },
    claims: { openid: ['sub'], scope_all: ['SubjectNameID', 'SubjectRefPro', 'SubjectRole', 'given_name', 'family_name', 'name'] },
    scopes: ['openid', 'scope_all'],
    acrValues: ['eidas1'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `${DEV_IDP_PATH}/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    findAccount: async (_ctx, sub) => accountOf(db, sub),
  });
  return provider;
}

/** A card holder by RPPS (PSC-shaped identity), or a staff member by their subject. */
async function accountOf(db: Database, id: string): Promise<Account | undefined> {
  const userInfo = /^[0-9]{11}$/.test(id) ? await pscUserInfo(db, id) : await staffUserInfo(db, id);
  return userInfo && { accountId: id, claims: () => ({ sub: id, ...userInfo }) };
}

async function staffUserInfo(db: Database, subject: string): Promise<{ name: string } | undefined> {
  const found = await db.transaction('platform', (tx) => tx.query<{ display_name: string }>('SELECT display_name FROM staff_member WHERE subject = $1', [subject]));
  const row = found.rows[0];
  return row && { name: row.display_name };
}

/** The PSC-shaped identity of a generated professional, from the directory. */
async function pscUserInfo(db: Database, rpps: string): Promise<PscUserInfo | undefined> {
  const rows = await db.transaction('platform', (tx) =>
    tx.query<{ first_name: string; last_name: string; profession_code: string; finess: string | null; siret: string | null; name: string }>(
      `SELECT p.first_name, p.last_name, p.profession_code, s.finess, s.siret, s.name
         FROM professional p JOIN activity a ON a.professional_id = p.id JOIN site s ON s.id = a.site_id
        WHERE p.rpps = $1 AND active_on(a.started_on, a.ended_on, $2::date)`,
      [rpps, today()],
    ),
  );
  const first = rows.rows[0];
  if (!first) return undefined;
  const activities = rows.rows.map((row) => ({
    ...(row.finess ? { numeroFinessSite: row.finess } : {}),
    ...(row.siret ? { numeroSiretSite: row.siret } : {}),
    raisonSocialeSite: row.name,
  }));
  return {
    SubjectNameID: `8${rpps}`,
    SubjectRole: [`${first.profession_code}^1.2.250.1.213.1.1.5.5`],
    SubjectRefPro: { exercices: [{ codeProfession: first.profession_code, activities }] },
    given_name: first.first_name,
    family_name: first.last_name,
  };
}

/** Mounts the provider and its simulated-card page on the platform's server. */
export function devIdpRoutes(app: FastifyInstance, provider: Provider, db: Database): void {
  const callback = provider.callback();
  const handOver = (request: FastifyRequest, reply: FastifyReply): void => {
    hijack(reply, provider);
    // Mounted as under a router: the provider reads its mount path from originalUrl.
    const raw = request.raw as typeof request.raw & { originalUrl?: string };
    raw.originalUrl = raw.url;
    raw.url = raw.url?.slice(DEV_IDP_PATH.length) || '/';
    void callback(raw, reply.raw);
  };
  // The provider reads request bodies itself: in this scope Fastify leaves them unread.
  void app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null));
    scope.get(`${DEV_IDP_PATH}/*`, handOver);
    scope.post(`${DEV_IDP_PATH}/*`, handOver);
    done();
  });
  app.get<{ Params: { uid: string } }>(`${DEV_IDP_PATH}/interaction/:uid`, async (request, reply) => {
    const interaction = await provider.interactionDetails(request.raw, reply.raw);
    return reply.type('text/html; charset=utf-8').send(cardPage(interaction.uid));
  });
  app.post<{ Params: { uid: string }; Body: { identifiant?: string } }>(`${DEV_IDP_PATH}/interaction/:uid`, async (request, reply) => {
    const interaction = await provider.interactionDetails(request.raw, reply.raw);
    const id = (request.body.identifiant ?? '').trim();
    const account = await accountOf(db, id);
    hijack(reply, provider);
    if (!account) {
      await provider.interactionFinished(request.raw, reply.raw, { error: 'access_denied', error_description: 'carte inconnue' });
      return;
    }
    const grant = new provider.Grant({ accountId: id, clientId: String(interaction.params.client_id) });
    grant.addOIDCScope('openid scope_all');
    const grantId = await grant.save();
    // The card presented now (the provider's auth_time), at the level the platform accepts (acr).
    await provider.interactionFinished(request.raw, reply.raw, { login: { accountId: id, acr: 'eidas1', amr: ['hwk'] }, consent: { grantId } });
  });
}

/**
 * The provider answers on the raw response, past Fastify's onSend hooks: its answers get
 * the platform's headers (src/http/plugins/security-headers.ts) here.
 */
function hijack(reply: FastifyReply, provider: Provider): void {
  reply.hijack();
  for (const [name, value] of Object.entries({ ...transportHeaders(new URL(provider.issuer).origin), ...pageHeaders })) reply.raw.setHeader(name, value);
}

function cardPage(uid: string): string {
  return page(
    'Carte CPS simulée',
    `<h1>Fournisseur d'identité de démonstration</h1>
<p>Ce service simule Pro Santé Connect et la carte CPS : il n'existe que pour le développement et la démonstration.</p>
<form method="post" action="${DEV_IDP_PATH}/interaction/${escapeHtml(uid)}">
<label>RPPS porté par la carte, ou identifiant d’un agent : <input name="identifiant" pattern="[A-Za-z0-9._:@\\-]{3,128}" required></label>
<button type="submit">Présenter la carte</button>
</form>`,
  );
}
