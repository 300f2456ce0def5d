import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { today } from '../clock.js';
import { parseCalendarDate } from '../domain/dates.js';
import { catalogueOf } from './catalogue.js';
import { BENEFICIARY_COLUMNS, beneficiaryRows } from './families.js';
import { generateInsurers } from './insurers.js';
import type { Insurer } from './insurers.js';
import type { Syntax } from './layouts.js';
import { PROFESSIONAL_COLUMNS, professionalRows } from './professionals.js';
import { writeRecordFile } from './writer.js';

export interface DatasetOptions {
  /** The same seed (and the same other options) gives byte-identical files. */
  readonly seed: string | number;
  readonly insurers: number;
  /** Total across insurers, split unevenly between big and small ones. */
  readonly beneficiaries: number;
  readonly professionals: number;
  readonly format: Syntax;
  /** Extraction date AAAA-MM-JJ; today (UTC) by default. */
  readonly date?: string;
  readonly outDir: string;
  /** Beneficiary lines written so far, across insurers, after each chunk. */
  readonly onProgress?: (written: number) => void;
}

export type FileKind = 'catalogue' | 'beneficiaires' | 'professionnels';

export interface ManifestFile {
  readonly kind: FileKind;
  /** Relative to the output directory, so that it can be moved. */
  readonly path: string;
  /** The insurer's AMC number; absent for the professionals' directory. */
  readonly organisme?: string;
  /** Data lines (the `#FIN` count); for a catalogue, its products. */
  readonly lines: number;
}

/** What was written; deterministic too (no timings), so it is part of the reproducible output. */
export interface Manifest {
  readonly seed: string | number;
  readonly date: string;
  readonly format: Syntax;
  readonly files: readonly ManifestFile[];
}

export const MANIFEST_FILE = 'manifest.json';

/**
 * Writes a synthetic data set: one catalogue and one beneficiaries file per insurer, the
 * professionals' directory and `manifest.json`. Files are streamed, so memory stays flat
 * however many lines are asked for.
 */
export async function generateDataset(options: DatasetOptions): Promise<Manifest> {
  const date = options.date ?? today();
  checkOptions(options, date);
  const { seed, outDir, format } = options;
  await mkdir(outDir, { recursive: true });
  const insurers = generateInsurers({ seed, count: options.insurers, beneficiaries: options.beneficiaries, year: Number(date.slice(0, 4)) });
  const files: ManifestFile[] = [];
  for (const insurer of insurers) files.push(await writeCatalogue(outDir, insurer));
  let written = 0;
  for (const insurer of insurers) {
    const file = await writeBeneficiaries(options, date, insurer, (lines) => options.onProgress?.(written + lines));
    written += file.lines;
    files.push(file);
  }
  files.push(await writeProfessionals(options, date));
  const manifest: Manifest = { seed, date, format, files };
  await writeFile(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function checkOptions(options: DatasetOptions, date: string): void {
  if (!Number.isSafeInteger(options.insurers) || options.insurers < 1) throw new RangeError('insurers must be a positive integer');
  for (const name of ['beneficiaries', 'professionals'] as const) {
    if (!Number.isSafeInteger(options[name]) || options[name] < 0) throw new RangeError(`${name} must be a non-negative integer`);
  }
  if (!parseCalendarDate(date).ok) throw new RangeError(`Invalid extraction date ${date}`);
}

async function writeCatalogue(outDir: string, insurer: Insurer): Promise<ManifestFile> {
  const path = `catalogue-${insurer.amcNumber}.json`;
  await writeFile(join(outDir, path), `${JSON.stringify(catalogueOf(insurer), null, 2)}\n`);
  return { kind: 'catalogue', path, organisme: insurer.amcNumber, lines: insurer.offers.length };
}

async function writeBeneficiaries(options: DatasetOptions, date: string, insurer: Insurer, onChunk: (lines: number) => void): Promise<ManifestFile> {
  const path = `beneficiaires-${insurer.amcNumber}.${options.format}`;
  const lines = await writeRecordFile({
    path: join(options.outDir, path),
    syntax: options.format,
    layout: {
      format: 'rempart.beneficiaires/1',
      identification: [['mode', 'complet'], ['organisme', insurer.amcNumber], ['date', date]],
      columns: BENEFICIARY_COLUMNS,
    },
    rows: beneficiaryRows(insurer, options.seed, date),
    onChunk,
  });
  return { kind: 'beneficiaires', path, organisme: insurer.amcNumber, lines };
}

async function writeProfessionals(options: DatasetOptions, date: string): Promise<ManifestFile> {
  const path = `professionnels.${options.format}`;
  const lines = await writeRecordFile({
    path: join(options.outDir, path),
    syntax: options.format,
    layout: { format: 'rempart.professionnels/1', identification: [['date', date]], columns: PROFESSIONAL_COLUMNS },
    rows: professionalRows(options.seed, options.professionals, date),
  });
  return { kind: 'professionnels', path, lines };
}
