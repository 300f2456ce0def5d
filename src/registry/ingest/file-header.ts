import { parseCalendarDate, type CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';

/**
 * The first line of every exchange file says what it is (docs/formats.md):
 * CSV `#rempart.beneficiaires/1;mode=complet;organisme=…;date=…`, or the same as a JSON
 * object in JSON Lines. Knowing kind, mode and insurer before the first data line lets the
 * loader refuse a wrong file before touching anything.
 */
export type FileKind = 'beneficiaires' | 'professionnels';
export type FileSyntax = 'csv' | 'jsonl';
export type LoadMode = 'complet' | 'delta';

export interface FileHeader {
  kind: FileKind;
  syntax: FileSyntax;
  mode: LoadMode;
  /** AMC number of the insurer the file belongs to (beneficiaries only). */
  insurer: string | undefined;
  /** The day the file describes: the date of its removals, and its place in the insurer's sequence of files. */
  date: CalendarDate;
}

const kinds: Record<string, FileKind> = {
  'rempart.beneficiaires/1': 'beneficiaires',
  'rempart.professionnels/1': 'professionnels',
};

export function parseHeaderLine(line: string): FileHeader {
  const text = line.replace(/^\uFEFF/, '').trim();
  const syntax: FileSyntax = text.startsWith('{') ? 'jsonl' : 'csv';
  const entries = syntax === 'jsonl' ? jsonEntries(text) : csvEntries(text);
  const kind = kinds[entries.format ?? ''];
  if (!kind) throw new RempartError('FILE_KIND', 'première ligne attendue : identification du fichier (docs/formats.md)');
  const mode = entries.mode ?? 'complet';
  if (mode !== 'complet' && mode !== 'delta') throw new RempartError('FILE_HEADER', `mode « ${mode} » inconnu`);
  if (kind === 'professionnels' && mode !== 'complet') throw new RempartError('FILE_HEADER', "l'annuaire se charge en mode complet");
  if (kind === 'beneficiaires' && !entries.organisme) throw new RempartError('FILE_HEADER', 'organisme absent de la ligne 1');
  // A calendar check, not a shape: the date goes to the database, which would refuse 2026-02-30 with a crash.
  const date = parseCalendarDate(entries.date ?? '');
  if (!date.ok) throw new RempartError('FILE_HEADER', 'date d’extraction absente ou invalide');
  return { kind, syntax, mode, insurer: entries.organisme, date: date.value };
}

function csvEntries(text: string): Record<string, string | undefined> {
  const [format, ...pairs] = text.split(';');
  const entries: Record<string, string | undefined> = { format: format?.replace(/^#/, '') };
  for (const pair of pairs) {
    const [key, ...value] = pair.split('=');
    if (key) entries[key.trim()] = value.join('=').trim();
  }
  return entries;
}

function jsonEntries(text: string): Record<string, string | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RempartError('FILE_HEADER', 'la ligne 1 n’est pas un objet JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new RempartError('FILE_HEADER', 'la ligne 1 n’est pas un objet JSON');
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]));
}
