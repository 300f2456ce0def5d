import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { postAsProfessional, professionalRef, sessionHeader } from '../../access/test-support/client.js';
import { asInsurerOwner, type Engaged } from '../../claims/test-support/engaged.js';
import type { CalendarDate } from '../../domain/dates.js';
import type { TestDatabase } from '../../db/test-support/test-database.js';
import type { Practitioner } from '../../rights/test-support/population.js';

export const LOTS = '/api/v1/invoices/lots';

/** What the invoice tests read of one invoice's answer. */
export interface InvoiceAnswer {
  numeroFacture: string;
  numero?: string;
  statut: string;
  motif?: string;
  demande: number;
  paye: number;
  renvoi?: boolean;
  code?: string;
  remplace?: string;
  lignes: { statut: string; paye: number; motif?: string }[];
}

/**
 * A contact lens (« autre »): no legal cap nor renewal delay, only the guarantee's ceiling limits it; no AMO, so all of it is claimed.
 * Another act code (`acte`) makes another care: two invoices of one beneficiary and day with the same act are near duplicates, held (migration 034).
 */
export function lens(priceCents: number, claimedCents = priceCents, acte = 'LC'): object {
  return { acte, domaine: 'OPTI', quantite: 1, prix: priceCents, base: 0, tauxAmo: 0, dispositif: 'autre', montantAmc: claimedCents };
}

/** An invoice under an engagement, or a prior agreement's when `reference` starts with P; a correction when it names the invoice it replaces. */
export function invoice(numero: string, reference: string, dateSoins: CalendarDate, lignes: object[], remplace?: string): object {
  return { numero, ...(reference.startsWith('P') ? { accordPrealable: reference } : { engagement: reference }), ...(remplace ? { remplace } : {}), dateSoins, lignes };
}

/** A lot sent by a professional on the pages, and its answer once acknowledged (200). */
export async function sendLot(db: TestDatabase['db'], app: FastifyInstance, who: Practitioner, lot: string, factures: object[]): Promise<InvoiceAnswer[]> {
  const response = await postLot(db, app, who, { lot, factures });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ factures: InvoiceAnswer[] }>().factures;
}

export function postLot(db: TestDatabase['db'], app: FastifyInstance, who: Practitioner, body: object): Promise<LightMyRequestResponse> {
  return postAsProfessional(db, app, who, LOTS, body);
}

/** The beneficiary's movements on a domain, summed by kind. */
export async function ledger(t: TestDatabase, e: Engaged, domain: string): Promise<Record<string, number>> {
  const rows = await asInsurerOwner<{ kind: string; total: string }>(t, e.insurerId,
    'SELECT kind, sum(amount_cents) AS total FROM ceiling_entry WHERE insurer_id = $1 AND beneficiary_id = $2 AND care_domain = $3 GROUP BY kind',
    [e.insurerId, e.beneficiaryId, domain]);
  return Object.fromEntries(rows.map((row) => [row.kind, Number(row.total)]));
}

/** A professional on the pages, acting for their structure: a POST without body, or with one, on a path that takes `structure` in its query. */
export async function postFor(db: TestDatabase['db'], app: FastifyInstance, who: Practitioner, path: string, body?: object): Promise<LightMyRequestResponse> {
  const headers = await sessionHeader(db, await professionalRef(db, who.rpps));
  return app.inject({ method: 'POST', url: `${path}?structure=${who.structure}`, headers, ...(body ? { payload: body } : {}) });
}

/** What the tests read of a page of returns. */
export interface ReturnsAnswer {
  organisme: string;
  retours: { type: string; le: string; numero: string; numeroFacture: string; lot: string; statut: string; motif?: string; libelle?: string; paye: number; remplace?: string; remplaceePar?: string;
    annulation?: { motif: string; texte?: string; aRecuperer?: number }; paiement: null; lignes: { statut: string; paye: number; motif?: string; libelle?: string }[] }[];
  curseur: string;
  suite: boolean;
  code?: string;
}

/** GET /api/v1/invoices/returns for the professional's structure, with the query given (amc, curseur, depuis, limite). */
export async function getReturns(db: TestDatabase['db'], app: FastifyInstance, who: Practitioner, query: Record<string, string | number>, file = false): Promise<LightMyRequestResponse> {
  const headers = await sessionHeader(db, await professionalRef(db, who.rpps));
  const search = new URLSearchParams({ structure: who.structure, ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });
  return app.inject({ method: 'GET', url: `/api/v1/invoices/returns${file ? '.csv' : ''}?${search.toString()}`, headers });
}

/** What the tests read of a lot kept for later: its acknowledgement (202), or its status. */
export interface LotAnswer {
  lot: string;
  recuLe: string;
  nombreFactures: number;
  statut: string;
  suivi: string;
  factures?: InvoiceAnswer[];
  code?: string;
}

/** A lot sent by a professional on the pages with Prefer: respond-async. */
export async function postLotAsync(db: TestDatabase['db'], app: FastifyInstance, who: Practitioner, body: object): Promise<LightMyRequestResponse> {
  const headers = await sessionHeader(db, await professionalRef(db, who.rpps));
  return app.inject({ method: 'POST', url: LOTS, headers: { ...headers, prefer: 'respond-async' }, payload: { structure: who.structure, ...body } });
}

/** GET of a lot kept for later, by its name, for the professional's structure. */
export async function getLot(db: TestDatabase['db'], app: FastifyInstance, who: Practitioner, lot: string): Promise<LightMyRequestResponse> {
  const headers = await sessionHeader(db, await professionalRef(db, who.rpps));
  return app.inject({ method: 'GET', url: `${LOTS}/${encodeURIComponent(lot)}?structure=${who.structure}`, headers });
}
