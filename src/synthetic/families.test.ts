import { beforeAll, describe, expect, it } from 'vitest';
import { describeNir, parseBirthDate, parseNir } from '../domain/identifiers/index.js';
import { BENEFICIARY_COLUMNS, beneficiaryRows } from './families.js';
import { generateInsurers } from './insurers.js';

type Row = Readonly<Record<(typeof BENEFICIARY_COLUMNS)[number], string>>;

const ROWS = 200_000;
const today = new Date('2026-03-15');

function generateRows(seed: string, count: number): Row[] {
  const [insurer] = generateInsurers({ seed, count: 1, beneficiaries: count, year: 2026 });
  if (!insurer) throw new Error('no insurer');
  return [...beneficiaryRows(insurer, seed, '2026-03-15')].map(
    (values) => Object.fromEntries(BENEFICIARY_COLUMNS.map((column, i) => [column, values[i] ?? ''])) as Row,
  );
}

function isLunar(birthDate: string): boolean {
  const parsed = parseBirthDate(birthDate, today);
  return parsed.ok && parsed.value.lunar;
}

describe('beneficiaryRows', () => {
  let rows: Row[] = [];
  beforeAll(() => {
    rows = generateRows('familles', ROWS);
  });

  it('writes exactly the number of lines asked for', () => {
    expect(rows).toHaveLength(ROWS);
    expect(generateRows('familles', 7)).toEqual(rows.slice(0, 7));
  });

  it('never repeats (NIR, birth date, rank) within an insurer', () => {
    const keys = new Set(rows.map((row) => `${row.nir}|${row.date_naissance}|${row.rang}`));
    expect(keys.size).toBe(rows.length);
  });

  it('has twins who share a parent’s NIR and their birth date, with ranks 1 and 2', () => {
    const adults = new Set(rows.filter((row) => row.qualite !== '6').map((row) => `${row.adherent}|${row.nir}`));
    const firstBorn = new Set(rows.filter((row) => row.rang === '1').map((row) => `${row.adherent}|${row.nir}|${row.date_naissance}`));
    const twinsOnParentNir = rows.filter((row) => row.rang === '2' && adults.has(`${row.adherent}|${row.nir}`));
    expect(twinsOnParentNir.length).toBeGreaterThan(20);
    expect(twinsOnParentNir.filter((twin) => !firstBorn.has(`${twin.adherent}|${twin.nir}|${twin.date_naissance}`))).toEqual([]);
  });

  it('has members, spouses, partners and children; young children often on a parent’s NIR', () => {
    const qualities = new Set(rows.map((row) => row.qualite));
    expect([...qualities].sort()).toEqual(['0', '2', '4', '6']);
    const adults = new Set(rows.filter((row) => row.qualite !== '6').map((row) => row.nir));
    const onParentCard = rows.filter((row) => row.qualite === '6' && adults.has(row.nir));
    expect(onParentCard.length / rows.length).toBeGreaterThan(0.1);
  });

  it('covers people born in Corsica, overseas and abroad, with provisional and MSA numbers', () => {
    const departments = new Set(rows.map((row) => row.nir.slice(5, 7)));
    for (const department of ['2A', '2B', '20', '97', '98', '99']) expect(departments, department).toContain(department);
    const sexDigits = new Set(rows.map((row) => row.nir.charAt(0)));
    for (const digit of ['1', '2', '3', '4', '7', '8']) expect(sexDigits, digit).toContain(digit);
    expect(rows.some((row) => row.nir.startsWith('555555'))).toBe(true);
  });

  it('keeps lunar birth dates, only for people born abroad', () => {
    const lunar = rows.filter((row) => isLunar(row.date_naissance));
    expect(lunar.length).toBeGreaterThan(100);
    expect(lunar.filter((row) => row.nir.slice(5, 7) !== '99')).toEqual([]);
    expect(lunar.some((row) => /-00-00$/.test(row.date_naissance))).toBe(true);
    expect(lunar.some((row) => Number(row.date_naissance.slice(5, 7)) > 12)).toBe(true);
  });

  it('writes birth dates that agree with the year and month of the holder’s own NIR', () => {
    const adults = new Set(rows.filter((row) => row.qualite !== '6').map((row) => row.nir));
    // A quarter of the rows is plenty to check a rule applied to every person.
    const holders = rows.slice(0, ROWS / 4).filter((row) => row.qualite !== '6' || !adults.has(row.nir));
    const faults = holders.filter((row) => {
      const nir = parseNir(row.nir);
      if (!nir.ok) return true;
      const description = describeNir(nir.value);
      if (description.kind === 'msaProvisional') return false;
      const month = row.date_naissance.slice(5, 7);
      const monthAgrees = Number(month) >= 1 && Number(month) <= 12 ? description.birthMonth === month : Number(description.birthMonth) > 12;
      return description.birthYear2 !== row.date_naissance.slice(2, 4) || !monthAgrees;
    });
    expect(faults).toEqual([]);
  });

  it('opens rights for the contract’s year, some closed early, and a few contracts ending', () => {
    const closed = rows.filter((row) => row.droits.split(' ').some((period) => (period.split(':')[2] ?? '') < (row.fin_contrat || '2026-12-31')));
    expect(closed.length / rows.length).toBeGreaterThan(0.02);
    expect(closed.length / rows.length).toBeLessThan(0.04);
    expect(rows.filter((row) => row.fin_contrat !== '').length / rows.length).toBeGreaterThan(0.01);
    const faults = rows.filter((row) =>
      row.droits
        .split(' ')
        .map((period) => period.split(':'))
        .some(([, from = '', to = '']) => from < row.debut_contrat || from < '2026-01-01' || to < from || to > '2026-12-31'),
    );
    expect(faults).toEqual([]);
  });
});
