import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../db/database.js';
import { generateFiness, generateRpps } from '../../domain/identifiers/generate.js';
import { seededRng } from '../../domain/random.js';
import { TOKEN_PATH } from '../access.js';
import { apiCallHeaders, newKeyPair, signClientAssertion, signDpopProof, tokenRequestBody, type KeyPair } from '../client-software.js';
import type { AccountRef } from '../people/accounts.js';
import { openSession, SESSION_COOKIE, type ProvedFrom } from '../people/sessions.js';
import { CSRF_HEADER, csrfToken } from '../../http/plugins/csrf.js';
import { TEST_ORIGIN } from './access.js';

export type { KeyPair };
export const keyPair = newKeyPair;

export interface Directory {
  siteA: number;
  siteB: number;
  /** Holder at site A, holder at site B, employee at A until yesterday, employee at A. */
  active: string;
  elsewhere: string;
  departed: string;
  employee: string;
}

export async function professionalIdOf(db: Database, rpps: string): Promise<number> {
  const found = await db.transaction('platform', (tx) => tx.query<{ id: number }>('SELECT id FROM professional WHERE rpps = $1', [rpps]));
  const row = found.rows[0];
  if (!row) throw new Error(`RPPS ${rpps} absent de l'annuaire de test`);
  return row.id;
}

export async function professionalRef(db: Database, rpps: string): Promise<AccountRef> {
  return { kind: 'professional', id: await professionalIdOf(db, rpps) };
}

/** Where test sessions were opened: where the tests' injected requests come from. */
export const TEST_PROVED_FROM: ProvedFrom = { ip: '127.0.0.1', device: 'lightMyRequest' };

/** A session cookie header for an account, as if it had logged in through Pro Santé Connect at `at` (its last proof of presence, a strong one). */
export async function sessionHeader(db: Database, account: AccountRef, at = new Date()): Promise<SessionHeaders> {
  return sessionHeaders(await openSession(db, account, 'psc', 'eidas1', at, TEST_PROVED_FROM, at));
}

export type SessionHeaders = Record<string, string> & { cookie: string };

/** A session's cookie with its CSRF token, as the pages' script sends them (src/web/browser/api.ts): a POST with the cookie alone is refused. */
export function sessionHeaders(session: string): SessionHeaders {
  return { cookie: `${SESSION_COOKIE}=${session}`, [CSRF_HEADER]: csrfToken(session) };
}

/** A page's answer to a visitor without a (live) session: the way to log in, and back. */
export const sentToLogin = (response: { statusCode: number; headers: Record<string, unknown> }): boolean =>
  response.statusCode === 302 && String(response.headers.location).startsWith('/?retour=');

/** A professional's POST from a page of the platform: its session, and the structure it acts for in the body. */
export async function postAsProfessional(db: Database, app: FastifyInstance, who: { rpps: string; structure: string }, url: string, body: object): Promise<LightMyRequestResponse> {
  const headers = await sessionHeader(db, await professionalRef(db, who.rpps));
  return app.inject({ method: 'POST', url, headers, payload: { structure: who.structure, ...body } });
}

export async function seedDirectory(db: Database): Promise<Directory> {
  const rng = seededRng('access-tests');
  const [active, elsewhere, departed, employee] = [generateRpps(rng), generateRpps(rng), generateRpps(rng), generateRpps(rng)];
  return db.transaction('platform', async (tx) => {
    const sites = await tx.query<{ id: number }>(
      `INSERT INTO site (finess, name, kind, department) VALUES ($1, 'Pharmacie A', 'officine', '75'), ($2, 'Pharmacie B', 'officine', '69') RETURNING id`,
      [generateFiness(rng, '75'), generateFiness(rng, '69')],
    );
    const [siteA, siteB] = sites.rows.map((row) => row.id) as [number, number];
    const people = await tx.query<{ id: number }>(
      `INSERT INTO professional (rpps, profession_code, last_name, first_name)
       VALUES ($1, '21', 'A', 'A'), ($2, '21', 'B', 'B'), ($3, '21', 'C', 'C'), ($4, '21', 'D', 'D') RETURNING id`,
      [active, elsewhere, departed, employee],
    );
    const [p1, p2, p3, p4] = people.rows.map((row) => row.id) as [number, number, number, number];
    await tx.query(
      `INSERT INTO activity (professional_id, site_id, role, started_on, ended_on) VALUES
         ($1, $5, 'titulaire', '2020-01-01', NULL), ($2, $6, 'titulaire', '2020-01-01', NULL),
         ($3, $5, 'salarie', '2020-01-01', (now() AT TIME ZONE 'UTC')::date - 1), ($4, $5, 'salarie', '2020-01-01', NULL)`,
      [p1, p2, p3, p4, siteA, siteB],
    );
    return { siteA, siteB, active, elsewhere, departed, employee };
  });
}

/** A practice-software installation as a test drives it: its keys, assertions and proofs. */
export class TestClient {
  constructor(
    readonly app: FastifyInstance,
    readonly clock: { now: Date },
    readonly clientId: string,
    readonly clientKey: KeyPair,
    readonly dpopKey: KeyPair,
  ) {}

  assertion(options: { key?: KeyPair; ageSeconds?: number; jti?: string } = {}): Promise<string> {
    return signClientAssertion(options.key ?? this.clientKey, this.clientId, `${TEST_ORIGIN}${TOKEN_PATH}`, this.clock.now, options);
  }

  proof(method: string, path: string, options: { key?: KeyPair; token?: string; ageSeconds?: number } = {}): Promise<string> {
    return signDpopProof(options.key ?? this.dpopKey, method, `${TEST_ORIGIN}${path}`, this.clock.now, options);
  }

  async requestToken(clientAssertion: string, dpop: string | undefined): Promise<{ status: number; token?: string }> {
    const response = await this.app.inject({
      method: 'POST',
      url: TOKEN_PATH,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop ? { dpop } : {}) },
      payload: tokenRequestBody(clientAssertion),
    });
    return { status: response.statusCode, token: response.json<{ access_token?: string }>().access_token };
  }

  /** A fresh token; throws if the platform refuses it. */
  async token(): Promise<string> {
    const issued = await this.requestToken(await this.assertion(), await this.proof('POST', TOKEN_PATH));
    if (issued.status !== 200 || !issued.token) throw new Error(`jeton refusé (${issued.status})`);
    return issued.token;
  }

  /** Headers of an API call: token, a proof for this exact request, the acting professional. */
  async headers(method: string, path: string, token: string, rpps: string, proof?: string | null): Promise<Record<string, string>> {
    return apiCallHeaders(token, proof === undefined ? await this.proof(method, path, { token }) : proof, rpps);
  }
}
