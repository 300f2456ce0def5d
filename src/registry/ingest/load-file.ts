import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Database } from '../../db/database.js';
import { ErrorCodes, RempartError, type ErrorCode } from '../../domain/errors/codes.js';
import type { Vault } from '../../vault/index.js';
import { loadBeneficiaries } from '../beneficiaries/load-beneficiaries.js';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { loadDirectory } from '../directory/load-directory.js';
import { parseHeaderLine, type FileKind } from './file-header.js';
import { hashFile } from './ledger.js';
import type { FileContext, LoadContext, LoadOutcome } from './load-context.js';
import { progressFor, type Progress } from './progress.js';
import { RejectReport } from './reject-report.js';

export interface LoadOptions {
  rejectsPath?: string;
  progress?: (label: string, totalBytes: number) => Progress;
  /** See FileContext; 5 % by default. */
  maxRemovalShare?: number;
  /** `rempart load --replay`, `--apply-removals`: see RunPermissions. */
  replay?: boolean;
  applyRemovals?: boolean;
}

export const DEFAULT_MAX_REMOVAL_SHARE = 0.05;

/**
 * `rejectsPath` is '' when no report could be written (the file itself was unreadable);
 * `removalsPath` is '' when the file removed nobody (nor would have).
 */
export type LoadSummary = { file: string; kind: string; rejectsPath: string; removalsPath: string; seconds: number } & (
  | LoadOutcome
  | { status: 'refused'; code: ErrorCode; message: string }
);

/**
 * Loads one exchange file (docs/formats.md): recognises it, applies it whole or refuses it
 * whole, and writes its reject report. Never throws for a bad file: the refusal is the
 * summary's status, with its error code.
 */
export async function loadFile(db: Database, vault: Vault, path: string, options: LoadOptions = {}): Promise<LoadSummary> {
  const started = Date.now();
  const size = await readableSize(path);
  const rejectsPath = options.rejectsPath ?? join(reportsFolder(path), `${basename(path)}.rejets.csv`);
  if (size === undefined) {
    const message = `${ErrorCodes.FILE_UNREADABLE.message} : ${path}`;
    return { file: path, kind: 'inconnu', rejectsPath: '', removalsPath: '', seconds: 0, status: 'refused', code: 'FILE_UNREADABLE', message };
  }
  const report = new RejectReport(rejectsPath, path);
  const progress = (options.progress ?? progressFor)(basename(path), size);
  const removalReport = { path: '', written: false };
  const base = (): { file: string; rejectsPath: string; removalsPath: string; seconds: number } => ({
    file: path, rejectsPath, removalsPath: removalReport.written ? removalReport.path : '', seconds: (Date.now() - started) / 1000,
  });
  let kind = 'inconnu';
  try {
    const header = path.endsWith('.json') ? undefined : parseHeaderLine(await firstLine(path));
    kind = header?.kind ?? 'catalogue';
    removalReport.path = join(dirname(rejectsPath), `${basename(path)}.${kind === 'professionnels' ? 'fins-activite' : 'radiations'}.csv`);
    const run = { sha256: await hashFile(path), fileName: basename(path), kind, mode: header?.mode ?? 'complet', fileDate: header?.date ?? null };
    const maxRemovalShare = options.maxRemovalShare ?? DEFAULT_MAX_REMOVAL_SHARE;
    const permissions = { replay: options.replay ?? false, applyRemovals: options.applyRemovals ?? false };
    const ctx: FileContext = { db, vault, path, run, report, removalReport, progress, maxRemovalShare, permissions };
    const outcome = await (header ? loaderFor(header.kind)({ ...ctx, header }) : loadCatalogue(ctx));
    return { ...base(), kind, ...outcome };
  } catch (error) {
    if (!(error instanceof RempartError)) throw error;
    await report.add([{ line: 0, field: '', code: error.code, message: error.message }]);
    return { ...base(), kind, status: 'refused', code: error.code, message: error.message };
  } finally {
    progress.stop();
    await report.close();
  }
}

/**
 * Reports go to a `rapports/` folder beside the file: a glob of the files to load
 * (`beneficiaires-*.csv`) must never pick a report up as a file to load.
 */
export function reportsFolder(path: string): string {
  return join(dirname(path), 'rapports');
}

function loaderFor(kind: FileKind): (ctx: LoadContext) => Promise<LoadOutcome> {
  return kind === 'beneficiaires' ? loadBeneficiaries : loadDirectory;
}

async function readableSize(path: string): Promise<number | undefined> {
  try {
    const handle = await open(path);
    const { size } = await handle.stat();
    await handle.close();
    return size;
  } catch {
    return undefined;
  }
}

/** The identification line, read without streaming the whole file. */
async function firstLine(path: string): Promise<string> {
  const handle = await open(path);
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const end = text.indexOf('\n');
    if (end < 0 && bytesRead === buffer.length) throw new RempartError('FILE_HEADER', 'première ligne trop longue');
    return end < 0 ? text : text.slice(0, end).replace(/\r$/, '');
  } finally {
    await handle.close();
  }
}

