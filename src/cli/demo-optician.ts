import { connectDemoClient, OPTICIAN_SOFTWARE, type DemoSoftware } from '../access/demo-client.js';
import * as clock from '../clock.js';
import { addDays, type CalendarDate } from '../domain/dates.js';
import { cents, formatEuros } from '../domain/money.js';
import { cancelTask, CLAIM_PATH, preauthClaim, TASK_PATH, type QuoteLine } from '../fhir/practice-claims.js';
import { callLine, patientWithRights } from './demo-patient.js';

const AGREEMENTS = '/api/v1/prior-agreements';
const FHIR_JSON = 'application/fhir+json';

/** The answer of POST and GET /api/v1/prior-agreements, as much as the demo prints. */
interface Agreement {
  numero: string;
  statut: string;
  demande: number;
  accorde: number;
  finValidite: string;
  toleranceFacturation: number;
  lignes: { acte: string; prix: number; demande: number; accorde: number; regle: string; libelle: string }[];
}

const euros = (amount: number): string => formatEuros(cents(amount));

/**
 * A pair of class B glasses (no 100 % Santé line): a frame and two simple lenses at the
 * LPP's 0,05 € base and 60 % AMO, prescribed a month before the delivery a week from now.
 * The bench of prior agreements sends the same quote (bench/prior-agreements.ts).
 */
export function glassesQuote(careDate: CalendarDate): QuoteLine[] {
  const prescription = addDays(careDate, -37);
  const lens: QuoteLine = { acte: 'VER', domaine: 'OPTI', quantite: 1, prix: 9_000, base: 5, tauxAmo: 60, dispositif: 'verre_simple', datePrescription: prescription };
  return [
    { acte: 'MON', domaine: 'OPTI', quantite: 1, prix: 12_000, base: 5, tauxAmo: 60, dispositif: 'monture', datePrescription: prescription },
    { ...lens, cote: 'D' },
    { ...lens, cote: 'G' },
  ];
}

/** The agreement for people: its number, status, validity and tolerance, then what each line was granted and why. */
function describe(agreement: Agreement): string[] {
  return [
    `Accord préalable ${agreement.numero} : ${agreement.statut}, ${euros(agreement.accorde)} accordés sur ${euros(agreement.demande)} demandés, ` +
      `valable jusqu’au ${agreement.finValidite}, tolérance de facturation ${euros(agreement.toleranceFacturation)}.`,
    ...agreement.lignes.map((l) => `  ${l.acte} à ${euros(l.prix)} : ${euros(l.accorde)} accordés sur ${euros(l.demande)} (${l.regle} : ${l.libelle})`),
  ];
}

/**
 * The demo's optician: rights check with an engagement for optics, a quote for class B
 * glasses sent as a prior agreement, consulted, cancelled (its reservation released on the
 * beneficiary's ceiling), and consulted again; then the same quote in FHIR R4 (a Claim
 * `use = preauthorization`, its ClaimResponse, a cancelling Task).
 */
export async function runOpticianJourney(home: string, origin: string): Promise<string[]> {
  const software = await connectDemoClient(home, origin, OPTICIAN_SOFTWARE);
  const cards = patientWithRights(home, 'OPTI');
  const today = clock.today();
  const lines = [`Opticien : jeton DPoP obtenu par ${software.clientId} (private_key_jwt), valable ${software.token.expiresIn} s.`];
  const rights = await software.call('POST', '/api/v1/rights/check', { ...cards, dateSoins: today, domaine: 'OPTI' });
  lines.push(callLine('POST', '/api/v1/rights/check', rights));
  const engagement = (rights.json as { engagement?: { numero: string } }).engagement?.numero;
  if (!engagement) return lines;
  const delivery = addDays(today, 7);
  const asked = await software.call('POST', AGREEMENTS, { engagement, dateSoins: delivery, lignes: glassesQuote(delivery) });
  lines.push(`POST ${AGREEMENTS} → ${asked.status}`);
  if (asked.status !== 201) return [...lines, JSON.stringify(asked.json)];
  const agreement = asked.json as Agreement;
  lines.push(...describe(agreement));
  const path = `${AGREEMENTS}/${agreement.numero}`;
  const shown = await software.call('GET', path);
  lines.push(`GET ${path} → ${shown.status} statut ${(shown.json as Agreement).statut}`);
  lines.push(callLine('POST', `${path}/cancel`, await software.call('POST', `${path}/cancel`)));
  const after = await software.call('GET', path);
  lines.push(`GET ${path} → ${after.status} statut ${(after.json as Agreement).statut}`);
  return [...lines, ...(await inFhir(software, engagement, delivery))];
}

/** What the demo prints of a ClaimResponse or a Task. */
interface FhirAnswer {
  resourceType?: string;
  outcome?: string;
  preAuthRef?: string;
  preAuthPeriod?: { end?: string };
  status?: string;
}

/** The same quote as practice software speaking FHIR sends it: agreed, then cancelled by a Task. */
async function inFhir(software: DemoSoftware, engagement: string, delivery: CalendarDate): Promise<string[]> {
  const claimed = await software.call('POST', CLAIM_PATH, preauthClaim(engagement, delivery, glassesQuote(delivery)), FHIR_JSON);
  const response = claimed.json as FhirAnswer;
  const said = `POST ${CLAIM_PATH} → ${claimed.status} ${response.resourceType ?? ''} ${response.outcome ?? ''}, accord ${response.preAuthRef ?? '—'} jusqu’au ${response.preAuthPeriod?.end ?? '—'}`;
  if (!response.preAuthRef) return [said];
  const cancelled = await software.call('POST', TASK_PATH, cancelTask(response.preAuthRef), FHIR_JSON);
  return [said, `POST ${TASK_PATH} (annulation) → ${cancelled.status} ${(cancelled.json as FhirAnswer).resourceType ?? ''} ${(cancelled.json as FhirAnswer).status ?? ''}`];
}
