import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { postAsProfessional } from '../../access/test-support/client.js';
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
  lignes: { statut: string; paye: number; motif?: string }[];
}

/** A contact lens (« autre »): no legal cap nor renewal delay, only the guarantee's ceiling limits it; no AMO, so all of it is claimed. */
export function lens(priceCents: number, claimedCents = priceCents): object {
  return { acte: 'LC', domaine: 'OPTI', quantite: 1, prix: priceCents, base: 0, tauxAmo: 0, dispositif: 'autre', montantAmc: claimedCents };
}

/** An invoice under an engagement, or a prior agreement's when `reference` starts with P. */
export function invoice(numero: string, reference: string, dateSoins: CalendarDate, lignes: object[]): object {
  return { numero, ...(reference.startsWith('P') ? { accordPrealable: reference } : { engagement: reference }), dateSoins, lignes };
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
