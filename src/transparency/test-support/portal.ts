import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { registerClient } from '../../access/clients.js';
import { registerPortalClient } from '../../access/portal-clients.js';
import { keyPair, TestClient } from '../../access/test-support/client.js';
import type { Database } from '../../db/database.js';
import { parseNir } from '../../domain/identifiers/index.js';
import type { CardHolder } from '../../rights/test-support/population.js';
import type { Vault } from '../../vault/index.js';

/** A member portal as a test drives it: registered for one insurer, calling with its own token and proofs. */
export async function testPortal(app: FastifyInstance, db: Database, clock: { now: Date }, clientId: string, amcNumber: string): Promise<TestClient> {
  const [clientKey, dpopKey] = await Promise.all([keyPair(), keyPair()]);
  await registerPortalClient(db, { clientId, amcNumber, name: `Espace adhérents ${amcNumber}`, jwks: { keys: [clientKey.jwk] } });
  return new TestClient(app, clock, clientId, clientKey, dpopKey);
}

/** Practice software for the site of a structure (FINESS or SIRET) of the directory. */
export async function testPracticeSoftware(app: FastifyInstance, db: Database, clock: { now: Date }, clientId: string, structure: string): Promise<TestClient> {
  const site = await db.query<{ id: number }>('SELECT id FROM site WHERE finess = $1 OR siret = $1', [structure]);
  const siteId = site.rows[0]?.id;
  if (siteId === undefined) throw new Error(`structure ${structure} absente de l'annuaire de test`);
  const [clientKey, dpopKey] = await Promise.all([keyPair(), keyPair()]);
  await registerClient(db, { clientId, siteId, name: clientId, jwks: { keys: [clientKey.jwk] } });
  return new TestClient(app, clock, clientId, clientKey, dpopKey);
}

/** A portal's call: its DPoP-bound token and a proof for this request, no acting professional. */
export async function portalPost(portal: TestClient, path: string, body: object, token?: string): Promise<LightMyRequestResponse> {
  const bearer = token ?? (await portal.token());
  return portal.app.inject({
    method: 'POST',
    url: path,
    headers: { authorization: `DPoP ${bearer}`, dpop: await portal.proof('POST', path, { token: bearer }) },
    payload: body,
  });
}

/** What the portal knows of its member: the cards' fields. */
export function memberBody(holder: CardHolder): { adherent: string; nir: string; naissance: string; rang: number } {
  return { adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: holder.rang };
}

/** The internal ids of a card holder: their insurer's and their own. */
export async function beneficiaryOf(db: Database, vault: Vault, holder: CardHolder): Promise<{ insurerId: number; beneficiaryId: number }> {
  const insurer = await db.query<{ id: number }>('SELECT id FROM insurer WHERE amc_number = $1', [holder.amc]);
  const insurerId = Number(insurer.rows[0]?.id);
  const nir = parseNir(holder.nir);
  if (!nir.ok) throw new Error(`NIR illisible : ${holder.nir}`);
  const beneficiaryId = await db.transaction({ insurerId }, async (tx) => {
    const index = (await vault.blindIndexer(tx, insurerId))([nir.value, holder.naissance, String(holder.rang)]);
    const found = await tx.query<{ id: number }>('SELECT id FROM beneficiary WHERE blind_index = $1', [index]);
    return Number(found.rows[0]?.id);
  });
  return { insurerId, beneficiaryId };
}
