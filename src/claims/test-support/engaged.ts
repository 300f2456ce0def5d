import type { FastifyInstance } from 'fastify';
import { postAsProfessional } from '../../access/test-support/client.js';
import { asOwner } from '../../audit/test-support/superuser.js';
import type { CalendarDate } from '../../domain/dates.js';
import type { TestDatabase } from '../../db/test-support/test-database.js';
import type { CardHolder, Practitioner } from '../../rights/test-support/population.js';

/** An engagement of a rights check, and where it points, as the owner reads it. */
export interface Engaged {
  number: string;
  insurerId: number;
  beneficiaryId: number;
  productId: number;
  age: number | null;
}

/** A rights check for the domain on the day, and the engagement it gave. */
export async function engage(t: TestDatabase, app: FastifyInstance, who: Practitioner, holder: CardHolder, domaine: string, day: CalendarDate): Promise<Engaged> {
  const checked = await postAsProfessional(t.db, app, who, '/api/v1/rights/check',
    { amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: holder.rang, dateSoins: day, domaine });
  const number = checked.json<{ engagement?: { numero: string } }>().engagement?.numero;
  if (!number) throw new Error(`pas d’engagement ${domaine} : ${checked.body}`);
  const insurer = await asOwner(t, async (owner) => (await owner.query<{ id: number }>('SELECT id FROM insurer WHERE amc_number = $1', [holder.amc]))[0]?.id);
  if (insurer === undefined) throw new Error(`organisme ${holder.amc} inconnu`);
  const [row] = await asInsurerOwner<{ insurer_id: number; beneficiary_id: string; product_id: string; beneficiary_age: number | null }>(t, insurer,
    'SELECT insurer_id, beneficiary_id, product_id, beneficiary_age FROM engagement WHERE number = $1', [number]);
  if (!row) throw new Error('engagement introuvable');
  return { number, insurerId: row.insurer_id, beneficiaryId: Number(row.beneficiary_id), productId: Number(row.product_id), age: row.beneficiary_age };
}

/** As the owner, in the insurer's scope: what loaders, invoices and a test's set-up write or read beside the routes. */
export async function asInsurerOwner<R = Record<string, unknown>>(t: TestDatabase, insurerId: number, sql: string, params: unknown[]): Promise<R[]> {
  return asOwner(t, async (owner) => {
    await owner.query("SELECT set_config('rempart.insurer_id', $1, true)", [String(insurerId)]);
    return owner.query<R>(sql, params);
  });
}

/** The guarantee of the engagement's product for the domain, at actual cost, with the settings given (SQL). */
export async function setGuarantee(t: TestDatabase, e: Engaged, domain: string, settings: string): Promise<void> {
  await asInsurerOwner(t, e.insurerId,
    `UPDATE guarantee SET basis = 'actual_cost', rate_bp = 0, flat_cents = 0, families = '{}', ${settings} WHERE insurer_id = $1 AND product_id = $2 AND care_domain = $3`,
    [e.insurerId, e.productId, domain]);
}
