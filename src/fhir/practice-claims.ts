/**
 * Claims as practice software sends them (docs/fhir.md): the demo's optician and the tests
 * speak FHIR with these, as src/fhir/practice-request.ts does for the eligibility request.
 */
import { ACT_CODE, AMO_BASE, AMO_RATE, BODY_SIDE, CARE_DOMAIN, DEVICE, HL7_CLAIM_TYPE, HL7_FINANCIAL_TASK, HL7_INFO_CATEGORY, IDNST, SUPPORTING_INFO } from './systems.js';

export const CLAIM_PATH = '/fhir/r4/Claim';
export const TASK_PATH = '/fhir/r4/Task';

/** A quote line in the REST API's words (POST /api/v1/prior-agreements), amounts in cents. */
export interface QuoteLine {
  acte: string;
  domaine: string;
  quantite: number;
  prix: number;
  base: number;
  tauxAmo: number;
  dispositif?: string;
  cote?: 'D' | 'G';
  datePrescription?: string;
}

const euros = (cents: number): object => ({ value: cents / 100, currency: 'EUR' });
const idnst = (structure: string): object => ({ identifier: { system: IDNST, value: `${structure.length === 9 ? '1' : '3'}${structure}` } });

/** The same quote as a preauthorization Claim, as practice software sends it (docs/fhir.md). */
export function preauthClaim(engagement: string, careDate: string, lines: readonly QuoteLine[], structure?: string): Record<string, unknown> {
  const prescribed = lines.flatMap((line) => (line.datePrescription === undefined ? [] : [line.datePrescription]));
  const supportingInfo = prescribed.map((day, index) => ({
    sequence: index + 1,
    category: { coding: [{ system: HL7_INFO_CATEGORY, code: 'info' }] },
    code: { coding: [{ system: SUPPORTING_INFO, code: 'date-prescription' }] },
    timingDate: day,
  }));
  let info = 0;
  const item = lines.map((line, index) => {
    const extension = [
      { url: AMO_BASE, valueMoney: euros(line.base) },
      { url: AMO_RATE, valueUnsignedInt: line.tauxAmo },
      ...(line.dispositif === undefined ? [] : [{ url: DEVICE, valueCode: line.dispositif }]),
    ];
    if (line.datePrescription !== undefined) info += 1;
    return {
      extension,
      sequence: index + 1,
      ...(line.datePrescription === undefined ? {} : { informationSequence: [info] }),
      category: { coding: [{ system: CARE_DOMAIN, code: line.domaine }] },
      productOrService: { coding: [{ system: ACT_CODE, code: line.acte }] },
      servicedDate: careDate,
      quantity: { value: line.quantite },
      unitPrice: euros(line.prix),
      ...(line.cote === undefined ? {} : { bodySite: { coding: [{ system: BODY_SIDE, code: line.cote }] } }),
    };
  });
  return {
    resourceType: 'Claim',
    status: 'active',
    type: { coding: [{ system: HL7_CLAIM_TYPE, code: 'vision' }] },
    use: 'preauthorization',
    patient: { display: 'Bénéficiaire de l’engagement' },
    created: careDate,
    provider: structure === undefined ? { display: 'Opticien' } : idnst(structure),
    priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
    insurance: [{ sequence: 1, focal: true, coverage: { display: 'Couverture de l’engagement' }, preAuthRef: [engagement] }],
    ...(supportingInfo.length === 0 ? {} : { supportingInfo }),
    item,
  };
}

/** A Task cancelling the agreement, as practice software sends it. */
export function cancelTask(number: string, structure?: string): Record<string, unknown> {
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: HL7_FINANCIAL_TASK, code: 'cancel' }] },
    focus: { reference: `ClaimResponse/${number}` },
    ...(structure === undefined ? {} : { requester: idnst(structure) }),
  };
}
