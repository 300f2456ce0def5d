import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as clock from '../clock.js';
import type { Cards } from '../fhir/practice-request.js';
import { readGeneratedRows } from '../synthetic/read-back.js';

/**
 * A beneficiary of the demo files with rights in a care domain today: the patient at the
 * counter (their cards, read for the demo from the insurer's synthetic file).
 */
export function patientWithRights(home: string, domain: string): Cards {
  const folder = join(home, 'demo');
  const today = clock.today();
  for (const file of readdirSync(folder).filter((name) => /^beneficiaires-[0-9]+\.csv$/.test(name)).sort()) {
    const rows = readGeneratedRows(readFileSync(join(folder, file), 'utf8'));
    const row = rows.find((r) => (r.droits ?? '').split(' ').some((item) => {
      const [held, from = '', to = ''] = item.split(':');
      return held === domain && from <= today && (to === '' || to >= today);
    }));
    if (row) return { amc: /[0-9]+/.exec(file)?.[0] ?? '', adherent: row.adherent ?? '', nir: row.nir ?? '', naissance: row.date_naissance ?? '', rang: Number(row.rang) };
  }
  throw new Error(`Aucun bénéficiaire de démonstration avec des droits ${domain} aujourd’hui`);
}

/** One call as the demo prints it: method, path, status and the JSON answer. */
export const callLine = (method: string, path: string, reply: { status: number; json: unknown }): string => `${method} ${path} → ${reply.status} ${JSON.stringify(reply.json)}`;
