import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../random.js';
import { parseAmcNumber } from './amc-number.js';
import { parseFiness } from './finess.js';
import {
  generateAmcNumber,
  generateFiness,
  generateMemberNumber,
  generateNir,
  generateRpps,
  generateSiren,
  generateSiret,
} from './generate.js';
import { parseMemberNumber } from './member-number.js';
import { describeNir, parseNir, UNKNOWN_BIRTH_MONTH_CODES } from './nir.js';
import type { Parsed } from './result.js';
import { parseRpps } from './rpps.js';
import { parseSiren } from './siren.js';
import { parseSiret } from './siret.js';

const seed = fc.integer();
const sex = fc.constantFrom('male', 'female');
const place = fc.constantFrom('metropole', 'corse', 'outremer', 'etranger');
const birthDate = fc
  .tuple(fc.integer({ min: 1850, max: 2024 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

function expectParses<T>(value: T, parsed: Parsed<T>): void {
  expect(parsed).toEqual({ ok: true, value });
}

describe('generated identifiers', () => {
  it('every generated NIR parses, whatever the options', () => {
    fc.assert(
      fc.property(seed, sex, fc.option(place, { nil: undefined }), fc.option(birthDate, { nil: undefined }), (s, x, p, b) => {
        const nir = generateNir(seededRng(s), { sex: x, place: p, birthDate: b });
        expectParses(nir, parseNir(nir));
      }),
    );
  });

  it.each([
    ['RPPS', generateRpps, parseRpps],
    ['SIREN', generateSiren, parseSiren],
    ['SIRET', generateSiret, parseSiret],
    ['FINESS', generateFiness, parseFiness],
    ['AMC number', generateAmcNumber, parseAmcNumber],
    ['member number', generateMemberNumber, parseMemberNumber],
  ] as const)('every generated %s parses', (_, generate, parse) => {
    fc.assert(
      fc.property(seed, (s) => {
        const value = generate(seededRng(s));
        expectParses(value, parse(value));
      }),
    );
  });

  it("generates La Poste's SIRETs too", () => {
    const rng = seededRng('la poste');
    const sirets = Array.from({ length: 500 }, () => generateSiret(rng));
    expect(sirets.some((siret) => siret.startsWith('356000000'))).toBe(true);
  });

  it('replays the same values for the same seed', () => {
    const run = (s: number): string[] => {
      const rng = seededRng(s);
      return [generateNir(rng, { sex: 'female' }), generateRpps(rng), generateSiret(rng), generateFiness(rng)];
    };
    fc.assert(
      fc.property(seed, (s) => {
        expect(run(s)).toEqual(run(s));
      }),
    );
  });
});

describe('generateNir', () => {
  it('follows the sex, the birth date and the place asked for', () => {
    fc.assert(
      fc.property(seed, sex, place, birthDate, (s, x, p, b) => {
        const description = describeNir(generateNir(seededRng(s), { sex: x, place: p, birthDate: b }));
        expect(description).toMatchObject({ kind: 'registered', sex: x, birthPlace: p, birthYear2: b.slice(2, 4) });
        const month = Number(b.slice(5, 7));
        if (month >= 1 && month <= 12) expect(description).toMatchObject({ birthMonth: b.slice(5, 7) });
      }),
    );
  });

  it('writes an unknown month code for a lunar date without a month', () => {
    const nir = generateNir(seededRng(7), { sex: 'male', birthDate: '1962-00-00' });
    expect(UNKNOWN_BIRTH_MONTH_CODES).toContain(nir.slice(3, 5));
  });

  it('numbers Corsica 20 before 1976 and 2A or 2B afterwards', () => {
    const rng = seededRng('corse');
    expect(generateNir(rng, { sex: 'male', place: 'corse', birthDate: '1970-05-01' }).slice(5, 7)).toBe('20');
    expect(generateNir(rng, { sex: 'male', place: 'corse', birthDate: '1990-05-01' }).slice(5, 7)).toMatch(/^2[AB]$/);
  });

  it('refuses a birth date it cannot read', () => {
    expect(() => generateNir(seededRng(1), { sex: 'male', birthDate: '01/05/1990' })).toThrow(RangeError);
  });
});

describe('generateFiness', () => {
  it('starts with the department asked for', () => {
    fc.assert(
      fc.property(seed, fc.constantFrom('2A', '2B', '75', '97', '01'), (s, department) => {
        const finess = generateFiness(seededRng(s), department);
        expect(finess.startsWith(department)).toBe(true);
        expectParses(finess, parseFiness(finess));
      }),
    );
  });

  it('refuses a department no FINESS starts with', () => {
    expect(() => generateFiness(seededRng(1), '20')).toThrow(RangeError);
  });
});
