import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectDemoClient, type DemoSoftware } from '../access/demo-client.js';
import * as clock from '../clock.js';
import { eligibilityRequest, type Cards } from '../fhir/practice-request.js';
import { readGeneratedRows } from '../synthetic/read-back.js';

/** A beneficiary of the demo files with pharmacy rights today: the patient at the counter (their cards, read for the demo from the insurer's synthetic file). */
function patientAtTheCounter(home: string): Cards {
  const folder = join(home, 'demo');
  const today = clock.today();
  for (const file of readdirSync(folder).filter((name) => /^beneficiaires-[0-9]+\.csv$/.test(name)).sort()) {
    const rows = readGeneratedRows(readFileSync(join(folder, file), 'utf8'));
    const row = rows.find((r) => (r.droits ?? '').split(' ').some((item) => {
      const [domain, from = '', to = ''] = item.split(':');
      return domain === 'PHAR' && from <= today && (to === '' || to >= today);
    }));
    if (row) return { amc: /[0-9]+/.exec(file)?.[0] ?? '', adherent: row.adherent ?? '', nir: row.nir ?? '', naissance: row.date_naissance ?? '', rang: Number(row.rang) };
  }
  throw new Error('Aucun bénéficiaire de démonstration avec des droits en pharmacie aujourd’hui');
}

const line = (method: string, path: string, reply: { status: number; json: unknown }): string => `${method} ${path} → ${reply.status} ${JSON.stringify(reply.json)}`;

/**
 * The demo's practice software at the counter: token, rights check for the patient's cards,
 * the AMC part of a medicine (DOMAIN.md, example 3) under the engagement, then the same
 * check again in FHIR R4.
 */
export async function runDemoJourney(home: string, origin: string): Promise<string[]> {
  const software: DemoSoftware = await connectDemoClient(home, origin);
  const cards = patientAtTheCounter(home);
  const lines = [`Jeton DPoP obtenu par ${software.clientId} (private_key_jwt), valable ${software.token.expiresIn} s, lié à sa clé DPoP.`];
  lines.push(line('GET', '/api/v1/session', await software.call('GET', '/api/v1/session')));
  const rights = await software.call('POST', '/api/v1/rights/check', { ...cards, dateSoins: clock.today(), domaine: 'PHAR' });
  lines.push(line('POST', '/api/v1/rights/check', rights));
  const engagement = (rights.json as { engagement?: { numero: string } }).engagement?.numero;
  if (!engagement) return lines;
  const medicine = { acte: 'PH7', domaine: 'PHAR', quantite: 1, prix: 1000, base: 1000, tauxAmo: 65, franchise: 100 };
  lines.push(line('POST', '/api/v1/coverage/calculate', await software.call('POST', '/api/v1/coverage/calculate', { engagement, lignes: [medicine] })));
  const fhir = await software.call('POST', '/fhir/r4/CoverageEligibilityRequest', eligibilityRequest(cards, { careDate: clock.today(), domain: 'PHAR' }), 'application/fhir+json');
  lines.push(line('POST', '/fhir/r4/CoverageEligibilityRequest', fhir));
  return lines;
}
