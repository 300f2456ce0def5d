import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../random.js';
import { generateNir } from './generate.js';
import { describeNir, nirKey, parseNir } from './nir.js';
import type { Nir } from './nir.js';
import { oneDigitSubstitutions } from './test-support/mutations.js';

/** Synthetic NIRs; their keys were computed independently of this code. */
const EXAMPLES = {
  bornAbroad: '295109912611193', // python-stdnum's example, '2 95 10 99 126 111 93'
  metropole: '180027505601208',
  corseDuSud: '285012A00401253',
  hauteCorse: '192072B03301082',
  corsicaBefore1976: '169012000400591',
  guadeloupe: '206049711200885',
  polynesie: '175059870500307',
  msaProvisional: '555555012345605',
  unknownMonth: '288423107512334',
  monthCode20: '185204207500192',
  nia: '780129935204507',
  provisional3: '380129935204513',
};

function expectError(input: string, code: string): void {
  const result = parseNir(input);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.code).toBe(code);
    expect(result.error.identifier).toBe('nir');
    expect(result.error.reason).not.toBe('');
  }
}

function expectEverySubstitutionRejected(nir: string): void {
  for (const changed of oneDigitSubstitutions(nir)) expect(parseNir(changed).ok, changed).toBe(false);
}

function valid(input: string): Nir {
  const result = parseNir(input);
  if (!result.ok) throw new Error(`${input}: ${result.error.reason}`);
  return result.value;
}

describe('parseNir', () => {
  it.each(Object.entries(EXAMPLES))('accepts the %s example', (_, nir) => {
    expect(valid(nir)).toBe(nir);
  });

  it('accepts the python-stdnum example typed with spaces and normalises it', () => {
    expect(valid('2 95 10 99 126 111 93')).toBe('295109912611193');
    expect(valid(' 2 85 01 2a 004 012 53\t')).toBe('285012A00401253');
  });

  it('rejects an empty value', () => {
    expectError('', 'IDENTIFIER_EMPTY');
    expectError('   ', 'IDENTIFIER_EMPTY');
  });

  it('rejects foreign characters, and letters outside the Corsican department', () => {
    expectError('1800275056012X8', 'IDENTIFIER_CHARACTERS');
    expectError('1-80-02-75-056-012-08', 'IDENTIFIER_CHARACTERS');
    expectError('18002750A601208', 'IDENTIFIER_CHARACTERS');
    expectError('1800212A0401253', 'IDENTIFIER_CHARACTERS');
  });

  it('rejects a wrong length, such as a NIR without its key', () => {
    expectError('1800275056012', 'IDENTIFIER_LENGTH');
    expectError('1800275056012080', 'IDENTIFIER_LENGTH');
  });

  it('checks each field before the key, to say what is wrong', () => {
    expectError('580027505601208', 'NIR_SEX');
    expectError('080027505601208', 'NIR_SEX');
    expectError('180137505601208', 'NIR_MONTH');
    expectError('180007505601208', 'NIR_MONTH');
    expectError('180192905601208', 'NIR_MONTH');
    expectError('180434305601208', 'NIR_MONTH');
    expectError('180020005601208', 'NIR_DEPARTMENT');
    expectError('180029605601208', 'NIR_DEPARTMENT');
    expectError('180029705601208', 'NIR_DEPARTMENT');
    expectError('180029835601208', 'NIR_DEPARTMENT');
    expectError('180027500001208', 'NIR_COMMUNE');
    expectError('180029900001208', 'NIR_COMMUNE');
    expectError('180029710001208', 'NIR_COMMUNE');
    expectError('180027505600008', 'NIR_ORDER');
  });

  it('rejects a wrong key', () => {
    expectError('180027505601209', 'IDENTIFIER_KEY');
    expectError('180027505601200', 'IDENTIFIER_KEY');
  });

  it('checks only the key of an MSA provisional number', () => {
    expectError('555555012345606', 'IDENTIFIER_KEY');
  });

  it.each(Object.entries(EXAMPLES))('rejects every one-digit change of the %s example', (_, nir) => {
    expectEverySubstitutionRejected(nir);
  });

  it('rejects every change of one digit into another, at every position, of any generated NIR', () => {
    const places = fc.constantFrom('metropole', 'corse', 'outremer', 'etranger');
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom('male', 'female'), places, (seed, sex, place) => {
        expectEverySubstitutionRejected(generateNir(seededRng(seed), { sex, place }));
      }),
    );
  });
});

describe('nirKey', () => {
  it('is 97 minus the remainder of the first 13 digits by 97', () => {
    expect(nirKey('2951099126111')).toBe('93');
    expect(nirKey('1800275056012')).toBe('08');
  });

  it('reads 2A as 19 and 2B as 18', () => {
    expect(nirKey('285012A004012')).toBe(nirKey('2850119004012'));
    expect(nirKey('192072B033010')).toBe(nirKey('1920718033010'));
  });

  it('gives 97, not 00, when the number is a multiple of 97', () => {
    expect(nirKey('0970000000000')).toBe('97');
  });

  it('refuses what is not the start of a NIR', () => {
    expect(() => nirKey('12345')).toThrow(RangeError);
    expect(() => nirKey('18002750560X2')).toThrow(RangeError);
  });
});

describe('describeNir', () => {
  it('reads a person born abroad', () => {
    expect(describeNir(valid(EXAMPLES.bornAbroad))).toEqual({
      kind: 'registered',
      sex: 'female',
      birthYear2: '95',
      birthMonth: '10',
      birthPlace: 'etranger',
      department: '99',
      commune: '126',
      order: '111',
    });
  });

  it('reads Corsican and overseas places', () => {
    expect(describeNir(valid(EXAMPLES.corseDuSud))).toMatchObject({ birthPlace: 'corse', department: '2A', commune: '004' });
    expect(describeNir(valid(EXAMPLES.corsicaBefore1976))).toMatchObject({ birthPlace: 'corse', department: '20' });
    expect(describeNir(valid(EXAMPLES.guadeloupe))).toMatchObject({
      birthPlace: 'outremer',
      department: '971',
      commune: '12',
      order: '008',
    });
  });

  it('tells provisional numbers apart', () => {
    expect(describeNir(valid(EXAMPLES.nia))).toMatchObject({ kind: 'provisional', sex: 'male' });
    expect(describeNir(valid(EXAMPLES.msaProvisional))).toEqual({ kind: 'msaProvisional' });
  });

  it('keeps unknown month codes as they are', () => {
    expect(describeNir(valid(EXAMPLES.unknownMonth))).toMatchObject({ birthMonth: '42', sex: 'female' });
  });
});
