import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/database.js';
import { frenchIban } from '../domain/payments/bank-account.js';
import { toSepaLatin } from '../domain/payments/index.js';

/** The demo platform's paying account: synthetic, with valid keys (bank 30004, branch 00001). */
const DEMO_DEBTOR = { iban: frenchIban(30004, 1, 99_000_001), bic: 'BNPAFRPPXXX', holder: 'Rempart demonstration' };

/**
 * The demo pays every day at 18:00 UTC from its synthetic account, unless the environment
 * says otherwise; outside the demo, nothing is scheduled and no debtor is assumed.
 */
export function demoPaymentEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { REMPART_PAYMENT_RUN_AT: '18:00', REMPART_DEBTOR_IBAN: DEMO_DEBTOR.iban, REMPART_DEBTOR_BIC: DEMO_DEBTOR.bic, REMPART_DEBTOR_NAME: DEMO_DEBTOR.holder, ...env };
}

/**
 * The payment commands' environment (`rempart payments run`, `camt-sample`): in the demo's
 * home (its generated files are in `demo/`, written by the first `start --demo`), the
 * demo's paying account unless the environment names one, as the demo server pays from it;
 * elsewhere the environment as it is.
 */
export function paymentCommandEnv(home: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return existsSync(join(home, 'demo')) ? demoPaymentEnv(env) : env;
}

/**
 * Each demo site gets a synthetic account, so that the demo's runs pay: proposed by one of
 * its professionals and confirmed by the operator's administrator, through migration 031's
 * functions as on the pages (a first account takes effect at once). One site in ten is left
 * without, so that a run shows what waits.
 */
export async function seedDemoAccounts(db: Database, operatorStaffId: number, now: Date): Promise<number> {
  return db.transaction('platform', async (tx) => {
    const sites = await tx.query<{ id: string; name: string; professional_id: string }>(
      `SELECT DISTINCT ON (s.id) s.id, s.name, a.professional_id FROM site s JOIN activity a ON a.site_id = s.id ORDER BY s.id, a.professional_id`,
    );
    let given = 0;
    for (const [n, site] of sites.rows.entries()) {
      if (n % 10 === 9) continue;
      const holder = toSepaLatin(site.name).slice(0, 70).trim() || `Structure ${site.id}`;
      await tx.query('SELECT bank_account_propose($1, $2, $3, $4, $5, $6, NULL, NULL, false)', [site.id, frenchIban(30006, 1, 1_000_000 + Number(site.id)), 'AGRIFRPP', holder, site.professional_id, now]);
      await tx.query("SELECT * FROM bank_account_confirm($1, NULL, $2, $3, interval '0')", [site.id, operatorStaffId, now]);
      given += 1;
    }
    return given;
  });
}
