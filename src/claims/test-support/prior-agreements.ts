import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestDatabase } from '../../db/test-support/test-database.js';
import { asInsurerOwner, type Engaged } from './engaged.js';

/** What the prior agreement tests read of an answer. */
export interface AgreementAnswer {
  numero: string;
  statut: string;
  accorde: number;
  finValidite: string;
  toleranceFacturation: number;
  sejour?: object;
  lignes: { accorde: number; regle: string }[];
  code?: string;
}

/** The answer of a request expected to be decided (201), whatever the decision. */
export function decided(response: LightMyRequestResponse): AgreementAnswer {
  expect(response.statusCode, response.body).toBe(201);
  return response.json<AgreementAnswer>();
}

/** What the ledger holds net for the beneficiary's domain: reserved and consumed less released. */
export async function reservedNet(t: TestDatabase, e: Engaged, domain: string): Promise<number> {
  const [row] = await asInsurerOwner<{ net: string }>(t, e.insurerId,
    `SELECT coalesce(sum(CASE kind WHEN 'released' THEN -amount_cents ELSE amount_cents END), 0) AS net FROM ceiling_entry WHERE insurer_id = $1 AND beneficiary_id = $2 AND care_domain = $3`,
    [e.insurerId, e.beneficiaryId, domain]);
  return Number(row?.net);
}
