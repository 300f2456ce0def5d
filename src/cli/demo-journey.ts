import { connectDemoClient, type DemoSoftware } from '../access/demo-client.js';
import * as clock from '../clock.js';
import { eligibilityRequest } from '../fhir/practice-request.js';
import { invoiceAndCancel } from './demo-invoice.js';
import { callLine as line, patientWithRights } from './demo-patient.js';

/**
 * The demo's practice software at the counter: token, rights check for the patient's cards,
 * the AMC part of a medicine (DOMAIN.md, example 3) under the engagement, its invoice sent,
 * cancelled and read back in the returns, then the same check again in FHIR R4.
 */
export async function runDemoJourney(home: string, origin: string): Promise<string[]> {
  const software: DemoSoftware = await connectDemoClient(home, origin);
  const cards = patientWithRights(home, 'PHAR');
  const lines = [`Jeton DPoP obtenu par ${software.clientId} (private_key_jwt), valable ${software.token.expiresIn} s, lié à sa clé DPoP.`];
  lines.push(line('GET', '/api/v1/session', await software.call('GET', '/api/v1/session')));
  const rights = await software.call('POST', '/api/v1/rights/check', { ...cards, dateSoins: clock.today(), domaine: 'PHAR' });
  lines.push(line('POST', '/api/v1/rights/check', rights));
  const engagement = (rights.json as { engagement?: { numero: string } }).engagement?.numero;
  if (!engagement) return lines;
  const medicine = { acte: 'PH7', domaine: 'PHAR', quantite: 1, prix: 1000, base: 1000, tauxAmo: 65, franchise: 100 };
  const calculated = await software.call('POST', '/api/v1/coverage/calculate', { engagement, lignes: [medicine] });
  lines.push(line('POST', '/api/v1/coverage/calculate', calculated));
  const [{ amc = 0 } = {}] = (calculated.json as { lignes?: { amc?: number }[] }).lignes ?? [];
  lines.push(...(await invoiceAndCancel(software, engagement, cards.amc, clock.today(), { ...medicine, montantAmc: amc })));
  const fhir = await software.call('POST', '/fhir/r4/CoverageEligibilityRequest', eligibilityRequest(cards, { careDate: clock.today(), domain: 'PHAR' }), 'application/fhir+json');
  lines.push(line('POST', '/fhir/r4/CoverageEligibilityRequest', fhir));
  return lines;
}
