import { beforeAll, describe, expect, it } from 'vitest';
import { parseFiness, parseRpps, parseSiret } from '../domain/identifiers/index.js';
import { PROFESSIONAL_COLUMNS, professionalRows } from './professionals.js';

type Row = Readonly<Record<(typeof PROFESSIONAL_COLUMNS)[number], string>>;

const COUNT = 6_000;

function generateRows(seed: string, count: number): Row[] {
  return [...professionalRows(seed, count, '2026-03-15')].map(
    (values) => Object.fromEntries(PROFESSIONAL_COLUMNS.map((column, i) => [column, values[i] ?? ''])) as Row,
  );
}

describe('professionalRows', () => {
  let rows: Row[] = [];
  beforeAll(() => {
    rows = generateRows('annuaire', COUNT);
  });

  it('writes RPPS, FINESS and SIRET numbers the domain parsers accept, each site with at least one', () => {
    const faults = rows.filter(
      (row) =>
        !parseRpps(row.rpps).ok ||
        (row.finess === '' && row.siret === '') ||
        (row.finess !== '' && !parseFiness(row.finess).ok) ||
        (row.siret !== '' && !parseSiret(row.siret).ok),
    );
    expect(faults).toEqual([]);
  });

  it('gives each professional one RPPS and each site one FINESS or SIRET', () => {
    expect(new Set(rows.map((row) => row.rpps)).size).toBe(COUNT);
    const names = new Map<string, string>();
    for (const row of rows) {
      const site = `${row.finess}|${row.siret}`;
      expect(names.get(site) ?? row.raison_sociale).toBe(row.raison_sociale);
      names.set(site, row.raison_sociale);
    }
    for (const id of ['finess', 'siret'] as const) {
      const sites = new Set(rows.filter((row) => row[id] !== '').map((row) => `${row[id]}|${row.raison_sociale}`));
      expect(new Set([...sites].map((site) => site.split('|')[0])).size).toBe(sites.size);
    }
  });

  it('writes distinct 9-digit AM numbers starting with the département, for owners and partners', () => {
    const billing = rows.filter((row) => row.numero_am !== '');
    expect(new Set(billing.map((row) => row.numero_am)).size).toBe(billing.length);
    for (const row of billing) {
      expect(row.numero_am).toMatch(/^\d{9}$/);
      expect(row.numero_am.slice(0, 2)).toBe(/^2[AB]$/.test(row.departement) ? '20' : row.departement.slice(0, 2));
      expect(['titulaire', 'associe']).toContain(row.role);
    }
  });

  it('follows the national mix: every profession, many nurses, few audioprosthetists', () => {
    const professions = new Map<string, number>();
    for (const row of rows) professions.set(row.profession, (professions.get(row.profession) ?? 0) + 1);
    expect([...professions.keys()].sort()).toEqual(['10', '21', '26', '28', '40', '50', '60', '70']);
    expect(professions.get('60')).toBeGreaterThan(10 * (professions.get('26') ?? 0));
    expect(rows.some((row) => row.profession === '10' && row.specialite === 'SM26')).toBe(true);
    expect(rows.some((row) => row.profession === '10' && row.type_structure === 'laboratoire')).toBe(true);
    expect(rows.filter((row) => row.type_structure === 'officine').every((row) => row.profession === '21')).toBe(true);
  });

  it('puts some professionals at two sites and has every kind of site and role', () => {
    const byRpps = new Map<string, number>();
    for (const row of rows) byRpps.set(row.rpps, (byRpps.get(row.rpps) ?? 0) + 1);
    const twoSites = [...byRpps.values()].filter((n) => n === 2).length;
    expect(twoSites / COUNT).toBeGreaterThan(0.04);
    expect(new Set(rows.map((row) => row.type_structure))).toEqual(
      new Set(['officine', 'cabinet', 'centre_optique', 'laboratoire', 'centre_audition', 'etablissement', 'centre_sante']),
    );
    expect(new Set(rows.map((row) => row.role))).toEqual(new Set(['titulaire', 'salarie', 'remplacant', 'associe']));
  });

  it('ends about 5% of activities, some of them yesterday', () => {
    const ended = rows.filter((row) => row.fin !== '');
    expect(ended.length / rows.length).toBeGreaterThan(0.03);
    expect(ended.length / rows.length).toBeLessThan(0.07);
    expect(ended.some((row) => row.fin === '2026-03-14')).toBe(true);
    expect(ended.every((row) => row.debut <= row.fin && row.fin < '2026-03-15')).toBe(true);
    expect(rows.every((row) => row.debut < '2026-03-15')).toBe(true);
  });

  it('covers Corsica and overseas départements', () => {
    const departments = new Set(rows.map((row) => row.departement));
    for (const department of ['2A', '2B', '971', '974']) expect(departments).toContain(department);
  });
});
