import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateFiness, generateSiret, nirKey } from '../domain/identifiers/index.js';
import { seededRng } from '../domain/random.js';
import type { CardHolder } from '../rights/test-support/population.js';
import { readEligibilityRequest } from './eligibility-request.js';
import { readFhirRightsQuery } from './rights-query.js';
import { IDNST, LUNAR_BIRTH_DATE } from './systems.js';
import { eligibilityRequest } from './test-support/fhir.js';
import type { CoverageEligibilityRequest } from './types.js';

const NOW = new Date('2026-03-02T10:00:00Z');
const card: CardHolder = { amc: '12345678', adherent: 'A-1', nir: `1800175123456${nirKey('1800175123456')}`, naissance: '1980-01-01', rang: 1, droits: '' };
const read = (resource: object): ReturnType<typeof readEligibilityRequest> => readEligibilityRequest(resource as CoverageEligibilityRequest, '2026-03-02');
const failure = (run: () => unknown): string => {
  try {
    run();
    return 'accepté';
  } catch (error) {
    return `${(error as { code: string }).code} ${(error as { expression?: string }).expression ?? ''}`.trim();
  }
};

describe('reading a CoverageEligibilityRequest as the card and the Vitale card', () => {
  it('reads the REST request’s fields, today and rank 1 by default', () => {
    const request = eligibilityRequest(card, { careDate: '2026-03-01' });
    delete request.servicedDate;
    expect(read(request)).toEqual({ body: { amc: '12345678', adherent: 'A-1', nir: card.nir, naissance: '1980-01-01', rang: 1, dateSoins: '2026-03-02' }, structure: undefined });
  });

  it('keeps a lunar birth date verbatim from our extension, and refuses a birthDate that contradicts it', () => {
    const lunar = eligibilityRequest({ ...card, naissance: '1962-00-00' }, { careDate: '2026-03-01' });
    expect(read(lunar).body.naissance).toBe('1962-00-00');
    expect(readFhirRightsQuery(lunar, NOW).query.birthDate).toMatchObject({ text: '1962-00-00', lunar: true });
    const patient = (lunar.contained as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(failure(() => read({ ...lunar, contained: [{ ...patient, birthDate: '1962' }, ...(lunar.contained as object[]).slice(1)] }))).toBe('accepté');
    expect(failure(() => read({ ...lunar, contained: [{ ...patient, birthDate: '1963-01-01' }, ...(lunar.contained as object[]).slice(1)] }))).toBe('FIELD_INVALID Patient.birthDate');
    expect(JSON.stringify(lunar)).toContain(LUNAR_BIRTH_DATE);
  });

  it('reads the structure from an IDNST, prefixed (1 FINESS, 3 SIRET) or not', () => {
    fc.assert(
      fc.property(fc.integer(), fc.boolean(), fc.boolean(), (seed, finess, prefixed) => {
        const structure: string = finess ? generateFiness(seededRng(seed)) : generateSiret(seededRng(seed));
        const value = prefixed ? `${finess ? '1' : '3'}${structure}` : structure;
        const request = { ...eligibilityRequest(card, { careDate: '2026-03-01' }), provider: { identifier: { system: IDNST, value } } };
        expect(read(request).structure).toBe(structure);
      }),
    );
    const rpps = { ...eligibilityRequest(card, { careDate: '2026-03-01' }), facility: { identifier: { system: IDNST, value: '4123456789' } } };
    expect(failure(() => read(rpps))).toBe('FIELD_INVALID CoverageEligibilityRequest.facility.identifier');
  });

  it('asks for at most one care domain, in our code system', () => {
    const withItems = (item: object[]): object => ({ ...eligibilityRequest(card, { careDate: '2026-03-01' }), item });
    const domain = (code: string, system = 'https://rempart.example/fhir/CodeSystem/domaine-soins'): object => ({ category: { coding: [{ system, code }] } });
    expect(read(withItems([domain('PHAR'), domain('PHAR')])).body.domaine).toBe('PHAR');
    expect(failure(() => read(withItems([domain('PHAR'), domain('OPTI')])))).toBe('FIELD_INVALID CoverageEligibilityRequest.item');
    expect(failure(() => read(withItems([domain('PHAR', 'http://example.org/autre')])))).toBe('FIELD_INVALID CoverageEligibilityRequest.item[0].category');
  });

  it('points the REST rules’ refusals at the FHIR element', () => {
    const badAmc = eligibilityRequest({ ...card, amc: '12' }, { careDate: '2026-03-01' });
    const badMember = eligibilityRequest({ ...card, adherent: 'x'.repeat(31) }, { careDate: '2026-03-01' });
    expect(failure(() => readFhirRightsQuery(badAmc, NOW))).toMatch(/^IDENTIFIER_\w+ Coverage\.payor\.identifier$/);
    expect(failure(() => readFhirRightsQuery(badMember, NOW))).toBe('FIELD_INVALID Coverage.subscriberId');
  });
});
