import { describe, expect, it } from 'vitest';
import { describeNir, parseNir } from '../domain/identifiers/index.js';
import { NirSpace } from './nir-space.js';
import { NIR_PLACES } from './places.js';

const abroad = NIR_PLACES.filter((place) => place.birthPlace === 'etranger');
const paris = NIR_PLACES.find((place) => place.prefix === '75');
const guadeloupe = NIR_PLACES.find((place) => place.prefix === '971');

describe('NirSpace', () => {
  it('hands out valid NIRs with the requested sex, year, month and place', () => {
    const space = new NirSpace();
    const nir = parseNir(space.allocate('2', '85', '05', guadeloupe ?? abroad[0]!));
    expect(nir.ok).toBe(true);
    if (!nir.ok) return;
    expect(describeNir(nir.value)).toMatchObject({ kind: 'registered', sex: 'female', birthYear2: '85', birthMonth: '05', department: '971' });
  });

  it('never repeats a NIR, moving to another country once a birth month is full there', () => {
    const space = new NirSpace();
    const first = abroad[0]!;
    const nirs = Array.from({ length: 1_500 }, () => space.allocate('1', '75', '31', first));
    expect(new Set(nirs).size).toBe(1_500);
    expect(nirs.every((nir) => parseNir(nir).ok)).toBe(true);
    // 999 order numbers per country and birth month.
    expect(nirs.filter((nir) => nir.slice(5, 10) === first.prefix)).toHaveLength(999);
  });

  it('throws rather than repeat once every place of the kind is full', () => {
    const space = new NirSpace();
    const place = abroad[0]!;
    for (let i = 0; i < abroad.length * 999; i += 1) space.allocate('8', '01', '01', place);
    expect(() => space.allocate('8', '01', '01', place)).toThrow(RangeError);
    // Other buckets are untouched.
    expect(parseNir(space.allocate('8', '01', '02', place)).ok).toBe(true);
  });

  it('spreads communes and order numbers instead of counting from 001', () => {
    const space = new NirSpace();
    const nirs = Array.from({ length: 50 }, () => space.allocate('1', '90', '01', paris!));
    expect(new Set(nirs.map((nir) => nir.slice(7, 10))).size).toBeGreaterThan(40);
    expect(nirs.every((nir) => parseNir(nir).ok)).toBe(true);
  });

  it('hands out distinct MSA provisional numbers', () => {
    const space = new NirSpace();
    const numbers = Array.from({ length: 1_000 }, () => space.allocateMsa());
    expect(new Set(numbers).size).toBe(1_000);
    expect(numbers.every((nir) => nir.startsWith('555555') && parseNir(nir).ok)).toBe(true);
  });
});
