import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAmcNumber, parseBirthDate, parseMemberNumber, parseNir } from '../domain/identifiers/index.js';
import type { CatalogueDocument } from './catalogue.js';
import { generateDataset, MANIFEST_FILE } from './dataset.js';
import type { DatasetOptions, Manifest } from './dataset.js';
import { documentedColumns, readCsv, records } from './test-support/files.js';

const root = mkdtempSync(join(tmpdir(), 'rempart-synthetic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base: Omit<DatasetOptions, 'outDir'> = {
  seed: 'essai',
  insurers: 3,
  beneficiaries: 6_000,
  professionals: 300,
  format: 'csv',
  date: '2026-03-15',
};

async function generate(name: string, overrides: Partial<DatasetOptions> = {}): Promise<{ dir: string; manifest: Manifest }> {
  const dir = join(root, name);
  return { dir, manifest: await generateDataset({ ...base, outDir: dir, ...overrides }) };
}

/** File name → SHA-256 of its bytes. */
function filesOf(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]));
}

describe('generateDataset', () => {
  let dir = '';
  let manifest: Manifest;
  beforeAll(async () => ({ dir, manifest } = await generate('reference')));

  it('writes byte-identical files for the same seed, and different ones for another seed', async () => {
    const again = await generate('again');
    const other = await generate('other', { seed: 'autre' });
    expect(filesOf(again.dir)).toEqual(filesOf(dir));
    const otherFiles = filesOf(other.dir);
    expect(otherFiles.get('professionnels.csv')).not.toEqual(filesOf(dir).get('professionnels.csv'));
    expect([...otherFiles.keys()].sort()).not.toEqual([...filesOf(dir).keys()].sort());
  });

  it('lists every file in manifest.json, beneficiaries adding up to the total asked for', () => {
    expect(JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'))).toEqual(manifest);
    expect(readdirSync(dir).sort()).toEqual([...manifest.files.map((file) => file.path), MANIFEST_FILE].sort());
    const kinds = manifest.files.map((file) => file.kind);
    expect(kinds.filter((kind) => kind === 'catalogue')).toHaveLength(3);
    expect(kinds.filter((kind) => kind === 'beneficiaires')).toHaveLength(3);
    const beneficiaries = manifest.files.filter((file) => file.kind === 'beneficiaires');
    expect(beneficiaries.reduce((sum, file) => sum + file.lines, 0)).toBe(6_000);
    // Big and small insurers, not an even split.
    expect(new Set(beneficiaries.map((file) => file.lines)).size).toBeGreaterThan(1);
  });

  it('writes beneficiaries files exactly as docs/formats.md lays them out', () => {
    const documented = documentedColumns('## Fichier de bénéficiaires').filter((c) => c !== 'operation' && c !== 'date_effet');
    for (const entry of manifest.files.filter((file) => file.kind === 'beneficiaires')) {
      const file = readCsv(join(dir, entry.path));
      expect(file.identification).toBe(`#rempart.beneficiaires/1;mode=complet;organisme=${entry.organisme};date=2026-03-15`);
      expect(file.header).toEqual(documented);
      expect(file.trailer).toBe(`#FIN;${file.rows.length}`);
      expect(file.rows.length).toBe(entry.lines);
      expect(file.rows.every((row) => row.length === documented.length)).toBe(true);
    }
  });

  it('writes the professionals directory as docs/formats.md lays it out', () => {
    const file = readCsv(join(dir, 'professionnels.csv'));
    expect(file.identification).toBe('#rempart.professionnels/1;date=2026-03-15');
    expect(file.header).toEqual(documentedColumns('## Annuaire des professionnels'));
    expect(file.trailer).toBe(`#FIN;${file.rows.length}`);
    expect(file.rows.length).toBeGreaterThanOrEqual(300);
  });

  it('gives beneficiaries only products of their insurer, and rights only in domains the product covers', () => {
    const faults: string[] = [];
    for (const entry of manifest.files.filter((file) => file.kind === 'beneficiaires')) {
      const catalogue = JSON.parse(readFileSync(join(dir, `catalogue-${entry.organisme}.json`), 'utf8')) as CatalogueDocument;
      expect(parseAmcNumber(catalogue.organisme.numeroAmc).ok).toBe(true);
      const products = new Map(catalogue.produits.map((p) => [p.code, p]));
      const conventions = new Set(catalogue.conventions.map((c) => c.code));
      for (const row of records(readCsv(join(dir, entry.path)))) {
        const product = products.get(row.produit ?? '');
        if (!product) faults.push(`unknown product ${row.produit}`);
        if (!conventions.has(row.convention ?? '')) faults.push(`unknown convention ${row.convention}`);
        for (const version of product?.versions ?? []) {
          const covered = new Set<string>(version.garanties.map((g) => g.domaine));
          const domains = (row.droits ?? '').split(' ').map((period) => period.split(':')[0] ?? '');
          faults.push(...domains.filter((domain) => !covered.has(domain)).map((domain) => `${domain} not in ${product?.code}`));
        }
      }
    }
    expect(faults).toEqual([]);
  });

  it('writes identifiers that the domain parsers accept', () => {
    const faults: string[] = [];
    for (const entry of manifest.files.filter((file) => file.kind === 'beneficiaires')) {
      for (const row of records(readCsv(join(dir, entry.path)))) {
        if (!parseNir(row.nir ?? '').ok) faults.push(`NIR ${row.nir}`);
        if (!parseBirthDate(row.date_naissance ?? '', new Date('2026-03-15')).ok) faults.push(`date ${row.date_naissance}`);
        if (!parseMemberNumber(row.adherent ?? '').ok) faults.push(`adhérent ${row.adherent}`);
      }
    }
    expect(faults).toEqual([]);
  });

  it('writes JSON Lines with the same fields, the identification object first and {"fin":N} last', async () => {
    const { dir: jsonDir, manifest: jsonManifest } = await generate('jsonl', { format: 'jsonl', beneficiaries: 500, professionals: 50 });
    const entry = jsonManifest.files.find((file) => file.kind === 'beneficiaires' && file.lines > 0);
    const lines = readFileSync(join(jsonDir, entry?.path ?? ''), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toEqual({ format: 'rempart.beneficiaires/1', mode: 'complet', organisme: entry?.organisme, date: '2026-03-15' });
    expect(lines.at(-1)).toEqual({ fin: lines.length - 2 });
    const csv = readCsv(join(dir, manifest.files.find((file) => file.kind === 'beneficiaires')?.path ?? ''));
    expect(Object.keys(lines[1] ?? {})).toEqual(csv.header);
    const directory = readFileSync(join(jsonDir, 'professionnels.jsonl'), 'utf8').split('\n');
    expect(JSON.parse(directory[0] ?? '')).toEqual({ format: 'rempart.professionnels/1', date: '2026-03-15' });
  });

  it('refuses impossible options', async () => {
    await expect(generate('bad', { insurers: 0 })).rejects.toThrow(RangeError);
    await expect(generate('bad', { date: '2026-02-30' })).rejects.toThrow(RangeError);
  });
});
