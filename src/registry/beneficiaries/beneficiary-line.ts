import { parseCalendarDate, type CalendarDate } from '../../domain/dates.js';
import { parseBirthDate, parseMemberNumber, parseNir, type BirthDate, type MemberNumber, type Nir } from '../../domain/identifiers/index.js';
import type { Result } from '../../domain/identifiers/result.js';
import type { ReadLine } from '../ingest/apply-lines.js';
import type { LoadMode } from '../ingest/file-header.js';
import { FieldReader, integerIn, personName } from '../ingest/field-reader.js';
import { readRightsField } from './rights-field.js';
import type { ColumnSpec, SourceRecord } from '../ingest/records.js';

/** Who the line is about: a beneficiary is (NIR, birth date, rank) within an insurer. */
export interface BeneficiaryKey {
  nir: Nir;
  birthDate: BirthDate;
  rank: number;
}

export interface BeneficiaryContent {
  memberNumber: MemberNumber;
  productCode: string;
  convention: string | null;
  contractFrom: CalendarDate;
  contractTo: CalendarDate | null;
  quality: number;
  lastName: string;
  firstName: string;
  /** Stored form (src/domain/coverage/rights.ts), '' for no rights. */
  rights: string;
}

/**
 * `K` (keep) is a rejected line of which something identifying could still be read: its
 * beneficiary still counts as listed (and takes their one place in the file), and its
 * member number keeps the whole contract, so that a full load removes nobody over a typo.
 * At least one of the two is there.
 */
export type BeneficiaryLine =
  | { kind: 'content'; line: number; op: 'A' | 'M'; key: BeneficiaryKey; content: BeneficiaryContent }
  | { kind: 'effect'; line: number; op: 'C' | 'S'; key: BeneficiaryKey; effectDate: CalendarDate }
  | { kind: 'keep'; line: number; op: 'K'; key: BeneficiaryKey | null; memberNumber: MemberNumber | null };

export type ReadBeneficiaryLine = ReadLine<BeneficiaryLine>;

const contentColumns = ['adherent', 'produit', 'debut_contrat', 'nir', 'date_naissance', 'rang', 'qualite', 'nom', 'prenom', 'droits'];

export function beneficiaryColumns(mode: LoadMode): ColumnSpec {
  const known = ['operation', ...contentColumns, 'convention', 'fin_contrat', 'date_effet'];
  return { known, required: mode === 'delta' ? ['operation', ...contentColumns, 'date_effet'] : contentColumns };
}

/** Validates one line of a beneficiaries file; every fault of the line is reported. */
export function readBeneficiaryLine(record: SourceRecord, mode: LoadMode): ReadBeneficiaryLine {
  const fields = new FieldReader(record);
  const op = mode === 'complet' ? 'A' : fields.required('operation', parseOperation);
  const key = readKey(fields);
  const value = ((): BeneficiaryLine | undefined => {
    if (op === 'C' || op === 'S') {
      const effectDate = fields.required('date_effet', parseCalendarDate);
      return key && effectDate ? { kind: 'effect', line: record.line, op, key, effectDate } : undefined;
    }
    const content = readContent(fields);
    return op && key && content ? { kind: 'content', line: record.line, op, key, content } : undefined;
  })();
  if (fields.rejects.length === 0) return { value, rejects: [] };
  return { value: keepLine(record.line, key, fields), rejects: fields.rejects };
}

/** Whom a rejected line still names, read again quietly: its faults are already reported. */
function keepLine(line: number, key: BeneficiaryKey | undefined, fields: FieldReader): BeneficiaryLine | undefined {
  const member = parseMemberNumber(fields.text('adherent'));
  const memberNumber = member.ok ? member.value : null;
  return key || memberNumber ? { kind: 'keep', line, op: 'K', key: key ?? null, memberNumber } : undefined;
}

function readKey(fields: FieldReader): BeneficiaryKey | undefined {
  const nir = fields.required('nir', parseNir);
  const birthDate = fields.required('date_naissance', (text) => parseBirthDate(text, new Date()));
  const rank = fields.required('rang', integerIn(1, 9));
  return nir && birthDate && rank ? { nir, birthDate, rank } : undefined;
}

function readContent(fields: FieldReader): BeneficiaryContent | undefined {
  const memberNumber = fields.required('adherent', parseMemberNumber);
  const productCode = fields.required('produit', productCodeOf);
  const contractFrom = fields.required('debut_contrat', parseCalendarDate);
  const contractTo = fields.optional('fin_contrat', parseCalendarDate);
  const quality = fields.required('qualite', integerIn(0, 9));
  const lastName = fields.required('nom', personName);
  const firstName = fields.required('prenom', personName);
  const rights = fields.optional('droits', readRightsField) ?? '';
  if (contractFrom && contractTo && contractTo < contractFrom) fields.fail('fin_contrat', 'PERIOD_INVALID', '');
  if (!memberNumber || !productCode || !contractFrom || contractTo === undefined || quality === undefined) return undefined;
  if (!lastName || !firstName || rights === undefined) return undefined;
  const convention = fields.text('convention') || null;
  return { memberNumber, productCode, convention, contractFrom, contractTo, quality, lastName, firstName, rights };
}

function parseOperation(text: string): Result<'A' | 'M' | 'C' | 'S', { code: 'OPERATION_UNKNOWN'; reason: string }> {
  const op = text.toUpperCase();
  return op === 'A' || op === 'M' || op === 'C' || op === 'S' ? { ok: true, value: op } : { ok: false, error: { code: 'OPERATION_UNKNOWN', reason: '' } };
}

function productCodeOf(text: string): Result<string, { code: 'FIELD_INVALID'; reason: string }> {
  return /^[A-Za-z0-9_-]{1,20}$/.test(text) ? { ok: true, value: text } : { ok: false, error: { code: 'FIELD_INVALID', reason: 'code produit : 1 à 20 caractères A-Z 0-9 _ -' } };
}
