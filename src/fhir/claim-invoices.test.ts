import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { professionalRef, sessionHeader } from '../access/test-support/client.js';
import { opticsHolders, withOpticsCast } from '../claims/test-support/optics-cast.js';
import { today } from '../clock.js';
import type { TestDatabase } from '../db/test-support/test-database.js';
import { addDays } from '../domain/dates.js';
import { invoiceReasons } from '../domain/invoices/reasons.js';
import { invoice, ledger, lens, sendLot } from '../invoices/test-support/invoices.js';
import type { Practitioner } from '../rights/test-support/population.js';
import { LOT_SIZE } from './invoice-bundle.js';
import { INVOICE_REASON, INVOICE_STATUS } from './systems.js';
import { postFhir, r4Violation, refusalOf } from './test-support/fhir.js';
import { BATCH_PATH, invoiceBundle, invoiceClaim, type InvoiceLine } from './test-support/invoice.js';
import { CLAIM_PATH, preauthClaim } from './practice-claims.js';

const TODAY = today();
const CEILING = 40_000;
/** A contact lens of 150 €, no AMO: all of it claimed of the complementary, unless said otherwise. */
const contactLens = (claimed = 15_000): InvoiceLine => lens(15_000, claimed) as InvoiceLine;
const crown: InvoiceLine = { acte: 'HBLD', domaine: 'DENT', quantite: 1, prix: 9_000, base: 0, tauxAmo: 0, montantAmc: 9_000 };

interface Coding {
  system: string;
  code: string;
  display?: string;
}
interface Adjudication {
  category: { coding: Coding[] };
  amount: { value: number };
  reason?: { coding: Coding[] };
}
interface ClaimResponse {
  resourceType: string;
  id?: string;
  use: string;
  outcome: string;
  disposition: string;
  extension: { url: string; valueCode?: string }[];
  item: { itemSequence: number; adjudication: Adjudication[] }[];
  total: { category: { coding: Coding[] }; amount: { value: number } }[];
  payment?: { type: { coding: Coding[] }; amount: { value: number } };
  error?: { code: { coding: Coding[] } }[];
}
interface BatchResponse {
  type: string;
  entry: { resource?: ClaimResponse; response: { status: string; location?: string; outcome?: unknown } }[];
}

/** What a ClaimResponse decides, in the REST API's words and cents: the status, and per line what is paid and why. */
function decisionOf(response: ClaimResponse): { statut: string; paye: number; lignes: [number, string | undefined][] } {
  const benefit = (adjudication: Adjudication[]): Adjudication | undefined => adjudication.find((a) => a.category.coding[0]?.code === 'benefit');
  return {
    statut: response.extension.find((e) => e.url === INVOICE_STATUS)?.valueCode ?? '',
    paye: Math.round((response.total.find((x) => x.category.coding[0]?.code === 'benefit')?.amount.value ?? Number.NaN) * 100),
    lignes: response.item.map((item) => [Math.round((benefit(item.adjudication)?.amount.value ?? Number.NaN) * 100), benefit(item.adjudication)?.reason?.coding[0]?.code]),
  };
}

describe('FHIR invoices: a Claim use=claim is the REST invoice in another language, decided by the same adjudication', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let optician: Practitioner;
  let elsewhere: Practitioner;
  let numbers = 0;

  const headersOf = async (who: Practitioner): Promise<Record<string, string>> => sessionHeader(t.db, await professionalRef(t.db, who.rpps));
  const claimOf = (reference: string, lines: readonly InvoiceLine[], number = `FA${(numbers += 1)}`, who = optician): Record<string, unknown> =>
    invoiceClaim(number, reference, TODAY, lines, who.structure);
  const post = async (body: unknown, who = optician, url = CLAIM_PATH): Promise<LightMyRequestResponse> => postFhir(app, await headersOf(who), body, url);
  const decided = async (body: unknown, who = optician): Promise<ClaimResponse> => {
    const response = await post(body, who);
    expect(response.statusCode, response.body).toBe(200);
    expect(r4Violation(response.json())).toBeUndefined();
    return response.json<ClaimResponse>();
  };
  const read = async (number: string, who = optician): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'GET', url: `/fhir/r4/ClaimResponse/${number}?structure=${who.structure}`, headers: { accept: 'application/fhir+json', ...(await headersOf(who)) } });
  const records = async (): Promise<number> => Number((await t.db.transaction('platform', (tx) => tx.query<{ n: string }>('SELECT count(*) AS n FROM access_record'))).rows[0]?.n);

  const cast = withOpticsCast();
  const { nextHolder, engagedFor, engaged } = opticsHolders(cast, CEILING, TODAY);

  beforeAll(() => {
    ({ t, app, optician, elsewhere } = cast());
  });

  it('pays an invoice in full, answers its resend with the same ClaimResponse, and reads it back by its number for its site only', async () => {
    const e = await engaged();
    const claim = claimOf(e.number, [contactLens()], 'FA-paid');
    const paid = await decided(claim);
    expect(paid).toMatchObject({ resourceType: 'ClaimResponse', use: 'claim', outcome: 'complete', disposition: 'Payée', payment: { amount: { value: 150 } } });
    expect(paid.id).toMatch(/^F[0-9]{8,10}-[A-Z2-7]{16}$/);
    expect(decisionOf(paid)).toEqual({ statut: 'payee', paye: 15_000, lignes: [[15_000, undefined]] });
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: 15_000 });

    expect(await decided(claim)).toEqual(paid);
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: 15_000 });
    // The same key over REST (a Claim alone is the lot of its own number): the same stored decision.
    const [viaRest] = await sendLot(t.db, app, optician, 'FA-paid', [invoice('FA-paid', e.number, TODAY, [contactLens()])]);
    expect(viaRest).toMatchObject({ numero: paid.id, statut: 'payee', paye: 15_000, renvoi: true });
    expect(refusalOf(await post(claimOf(e.number, [contactLens(14_000)], 'FA-paid')))).toBe('409 INVOICE_KEY_REUSED');

    const shown = await read(paid.id ?? '');
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toEqual(paid);
    expect(refusalOf(await read(paid.id ?? '', elsewhere))).toBe('404 INVOICE_UNKNOWN');
    expect(refusalOf(await read('F-not-a-number'))).toBe('400 FIELD_INVALID ClaimResponse.id');
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: 15_000 });
  });

  it('pays part of an invoice with a reason per line, and rejects one its engagement cannot back, as R4 outcomes partial and error', async () => {
    const holder = nextHolder();
    const e = await engagedFor(holder);
    const partly = await decided(claimOf(e.number, [contactLens(16_000), crown]));
    expect(partly).toMatchObject({ outcome: 'partial', payment: { amount: { value: 150 }, type: { coding: [{ code: 'partial' }] } } });
    expect(partly.disposition).toBe(`Payée en partie : ${invoiceReasons.GAR_RULES.label}`);
    expect(decisionOf(partly)).toEqual({ statut: 'payee_partiellement', paye: 15_000, lignes: [[15_000, 'GAR_RULES'], [0, 'ENG_DOMAIN']] });
    expect(partly.item[1]?.adjudication[1]?.reason?.coding[0]).toEqual({ system: INVOICE_REASON, code: 'ENG_DOMAIN', display: invoiceReasons.ENG_DOMAIN.label });

    const consumed = await decided(claimOf(e.number, [contactLens()]));
    expect(consumed).toMatchObject({ outcome: 'error', error: [{ code: { coding: [{ code: 'ENG_CONSUMED' }] } }] });
    expect(consumed.payment).toBeUndefined();
    const theirs = await decided(claimOf((await engagedFor(holder)).number, [contactLens()], 'FA-theirs', elsewhere), elsewhere);
    expect([theirs.id, theirs.outcome, decisionOf(theirs).lignes]).toEqual([undefined, 'error', [[0, 'ENG_UNKNOWN']]]);
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: 15_000 });
  });

  it('decides a batch Bundle as one lot, in its order, and answers its resend and a key reused entry by entry', async () => {
    const [first, second] = [await engaged(), await engaged()];
    const unknown = `${first.number.slice(0, -1)}${first.number.endsWith('A') ? 'B' : 'A'}`;
    const claims = [claimOf(first.number, [contactLens()], 'B1'), claimOf(second.number, [contactLens(16_000)], 'B2'), claimOf(unknown, [contactLens()], 'B3')];
    const lot = invoiceBundle('LOT-FHIR-1', claims);
    const response = await post(lot, optician, BATCH_PATH);
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json<BatchResponse>();
    expect(r4Violation(answer)).toBeUndefined();
    expect(answer.type).toBe('batch-response');
    expect(answer.entry.map((entry) => [entry.response.status, entry.resource?.outcome, entry.resource ? decisionOf(entry.resource).paye : null])).toEqual([
      ['200', 'complete', 15_000], ['200', 'partial', 15_000], ['200', 'error', 0],
    ]);
    expect(answer.entry.map((entry) => entry.response.location)).toEqual([`ClaimResponse/${answer.entry[0]?.resource?.id}`, `ClaimResponse/${answer.entry[1]?.resource?.id}`, undefined]);
    expect((await read(answer.entry[1]?.resource?.id ?? '')).json()).toEqual(answer.entry[1]?.resource);

    expect((await post(lot, optician, BATCH_PATH)).json()).toEqual(answer);
    const changed = invoiceBundle('LOT-FHIR-1', [claims[0] as object, claimOf(second.number, [contactLens(9_000)], 'B2')]);
    const reused = (await post(changed, optician, BATCH_PATH)).json<BatchResponse>();
    expect(reused.entry[0]).toEqual(answer.entry[0]);
    expect(reused.entry[1]).toMatchObject({ response: { status: '409', outcome: { resourceType: 'OperationOutcome', issue: [{ details: { coding: [{ code: 'INVOICE_KEY_REUSED' }] } }] } } });
    expect(reused.entry[1]?.resource).toBeUndefined();
    expect([await ledger(t, first, 'OPTI'), await ledger(t, second, 'OPTI')]).toEqual([{ consumed: 15_000 }, { consumed: 15_000 }]);
  });

  it('refuses a malformed Claim or Bundle whole with an OperationOutcome naming the element, and decides, stores or records nothing', async () => {
    const e = await engaged();
    const before = await records();
    const valid = claimOf(e.number, [contactLens()], 'FA-bad');
    const patched = (change: (claim: Record<string, unknown>, item: Record<string, unknown>) => void): Record<string, unknown> => {
      const copy = structuredClone(valid);
      change(copy, (copy.item as Record<string, unknown>[])[0] as Record<string, unknown>);
      return copy;
    };
    const amc = (value: unknown): ((claim: Record<string, unknown>, item: Record<string, unknown>) => void) => (_c, i) => {
      (i.extension as { url: string; valueMoney?: unknown }[]).forEach((x) => (x.url.endsWith('/montant-amc') ? (x.valueMoney = value) : undefined));
    };
    const cases: [string, unknown, string][] = [
      ['a predetermination', patched((c) => (c.use = 'predetermination')), '400 FIELD_INVALID Claim.use'],
      ['no engagement', patched((c) => (c.insurance = [{ sequence: 1, focal: true, coverage: { display: 'x' } }])), '400 FIELD_MISSING Claim.insurance.preAuthRef'],
      ['a malformed engagement', patched((c) => (c.insurance = [{ sequence: 1, focal: true, coverage: { display: 'x' }, preAuthRef: ['E123'] }])), '400 FIELD_INVALID Claim.insurance.preAuthRef'],
      ['an engagement and an agreement', patched((c) => (c.insurance = [{ sequence: 1, focal: true, coverage: { display: 'x' }, preAuthRef: [e.number, e.number] }])), '422 INVOICE_REFERENCE Claim.insurance.preAuthRef'],
      ['no invoice number', patched((c) => delete c.identifier), '400 FIELD_MISSING Claim.identifier'],
      ['no AMC part claimed', patched((_c, i) => (i.extension = (i.extension as { url: string }[]).filter((x) => !x.url.endsWith('/montant-amc')))), "400 FIELD_MISSING Claim.item[0].extension('https://rempart.example/fhir/StructureDefinition/montant-amc')"],
      ['a negative AMC part', patched(amc({ value: -1, currency: 'EUR' })), "400 FIELD_INVALID Claim.item[0].extension('https://rempart.example/fhir/StructureDefinition/montant-amc')"],
      ['a tenth of a cent', patched(amc({ value: 150.001, currency: 'EUR' })), "400 FIELD_INVALID Claim.item[0].extension('https://rempart.example/fhir/StructureDefinition/montant-amc')"],
      ['a price in dollars', patched((_c, i) => (i.unitPrice = { value: 150, currency: 'USD' })), '400 FIELD_INVALID Claim.item[0].unitPrice'],
      ['a net that is not quantity × price', patched((_c, i) => (i.net = { value: 151, currency: 'EUR' })), '400 FIELD_INVALID Claim.item[0].net'],
      ['a null among the extensions', patched((_c, i) => (i.extension as unknown[]).splice(1, 0, null)), '400 FHIR_RESOURCE_INVALID Claim.item[0].extension[1]'],
      ['a care domain unknown', patched((_c, i) => (i.category = { coding: [{ system: 'https://rempart.example/fhir/CodeSystem/domaine-soins', code: 'ZZZ' }] })), '400 CARE_DOMAIN_UNKNOWN Claim.item[0].category'],
      ['care tomorrow', invoiceClaim('FA-bad', e.number, addDays(TODAY, 1), [contactLens()], optician.structure), '422 INVOICE_CARE_DATE Claim.item.servicedDate'],
    ];
    for (const [what, body, refusal] of cases) {
      const response = await post(body);
      expect(r4Violation(response.json()), what).toBeUndefined();
      expect([what, refusalOf(response)]).toEqual([what, refusal]);
    }
    const bundles: [string, unknown, string][] = [
      ['a transaction', { ...invoiceBundle('LOT-BAD', [valid]), type: 'transaction' }, '400 FIELD_INVALID Bundle.type'],
      ['a prior agreement among the invoices', invoiceBundle('LOT-BAD', [valid, preauthClaim(e.number, TODAY, [contactLens()], optician.structure)]), '400 FIELD_INVALID Bundle.entry[1].resource.use'],
      [`${LOT_SIZE + 1} invoices`, invoiceBundle('LOT-BAD', Array.from({ length: LOT_SIZE + 1 }, (_, i) => claimOf(e.number, [contactLens()], `FB${i}`))), '400 FIELD_INVALID Bundle.entry'],
      ['an invoice number twice', invoiceBundle('LOT-BAD', [valid, valid]), '422 INVOICE_LOT_DUPLICATE Bundle.entry[1].resource.identifier'],
      ['a malformed second invoice', invoiceBundle('LOT-BAD', [valid, patched((_c, i) => (i.unitPrice = { value: 150, currency: 'USD' }))]), '400 FIELD_INVALID Bundle.entry[1].resource.item[0].unitPrice'],
      ['no lot number', { ...invoiceBundle('LOT-BAD', [valid]), identifier: undefined }, '400 FIELD_MISSING Bundle.identifier'],
      ['no entries', invoiceBundle('LOT-BAD', []), '400 FIELD_INVALID Bundle.entry'],
    ];
    for (const [what, body, refusal] of bundles) {
      const response = await post(body, optician, BATCH_PATH);
      expect(r4Violation(response.json()), what).toBeUndefined();
      expect([what, refusalOf(response)]).toEqual([what, refusal]);
    }
    expect(await records()).toBe(before);
    expect(await ledger(t, e, 'OPTI')).toEqual({});
  });

  it('never answers a mutated Claim or lot with a server error: each is decided or refused with an OperationOutcome', async () => {
    const e = await engaged();
    const claim = claimOf(e.number, [contactLens()], 'FA-fuzz');
    const targets = [
      { url: CLAIM_PATH, valid: claim },
      { url: BATCH_PATH, valid: invoiceBundle('LOT-FUZZ', [claim, claimOf(e.number, [contactLens()], 'FA-fuzz-2')]) },
    ].flatMap((target) => leafPaths(target.valid).map((path) => ({ ...target, path })));
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), value, async ({ url, valid, path }, replacement) => {
        const response = await post(mutated(valid, path, replacement), optician, url);
        expect(response.statusCode, response.body).toBeLessThan(500);
        expect(['ClaimResponse', 'Bundle', 'OperationOutcome']).toContain(response.json<{ resourceType: string }>().resourceType);
      }),
      { numRuns: 150 },
    );
    expect((await ledger(t, e, 'OPTI')).consumed ?? 0).toBeLessThanOrEqual(15_000);
  });
});

/** Every path to a value inside the resource, containers included. */
function leafPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [at];
  const children = Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...at, Array.isArray(value) ? Number(key) : key]));
  return [...(at.length === 0 ? [] : [at]), ...children];
}

/** The resource with the value at the path replaced (undefined: removed). */
function mutated(resource: Record<string, unknown>, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(resource);
  let holder: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete holder[last];
  else holder[last] = value;
  return copy;
}
