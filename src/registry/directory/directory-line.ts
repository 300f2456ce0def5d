import { parseCalendarDate, type CalendarDate } from '../../domain/dates.js';
import type { ErrorCode } from '../../domain/errors/codes.js';
import { CORSICA_DEPARTMENTS, METROPOLITAN_DEPARTMENTS } from '../../domain/identifiers/departments.js';
import { parseFiness, parseRpps, parseSiret, type Finess, type Rpps, type Siret } from '../../domain/identifiers/index.js';
import type { Result } from '../../domain/identifiers/result.js';
import { FieldReader, personName } from '../ingest/field-reader.js';
import type { ReadLine } from '../ingest/apply-lines.js';
import type { ColumnSpec, SourceRecord } from '../ingest/records.js';

/** One activity: a professional practising in a structure over a period (docs/formats.md). */
export interface DirectoryLine {
  line: number;
  rpps: Rpps;
  lastName: string;
  firstName: string;
  profession: string;
  specialty: string | null;
  finess: Finess | null;
  siret: Siret | null;
  siteName: string;
  siteKind: string;
  department: string;
  amNumber: string | null;
  role: string;
  startedOn: CalendarDate;
  endedOn: CalendarDate | null;
}

/**
 * What a rejected line still tells: the professional or the structure it names, so that
 * the full file ends none of their activities over a typo.
 */
export interface DirectoryKeep {
  kind: 'keep';
  line: number;
  rpps: Rpps | null;
  finess: Finess | null;
  siret: Siret | null;
}

export type DirectoryEntry = ({ kind: 'activity' } & DirectoryLine) | DirectoryKeep;

export type ReadDirectoryLine = ReadLine<DirectoryEntry>;

const requiredColumns = ['rpps', 'nom', 'prenom', 'profession', 'raison_sociale', 'type_structure', 'departement', 'role', 'debut'];

/** `finess` and `siret` are both optional columns: which one a line needs is checked per line. */
export const directoryColumns: ColumnSpec = {
  known: [...requiredColumns, 'specialite', 'finess', 'siret', 'numero_am', 'fin'],
  required: requiredColumns,
};

const professions = ['10', '21', '26', '28', '40', '50', '60', '70'] as const;
const siteKinds = ['officine', 'cabinet', 'centre_optique', 'laboratoire', 'centre_audition', 'etablissement', 'centre_sante'] as const;
const roles = ['titulaire', 'salarie', 'remplacant', 'associe'] as const;
const departments = [...METROPOLITAN_DEPARTMENTS, ...CORSICA_DEPARTMENTS, '971', '972', '973', '974', '975', '976'];

type FieldResult = Result<string, { code: ErrorCode; reason: string }>;

/** Validates one line of the directory; every fault of the line is reported, and then only whom it names is kept. */
export function readDirectoryLine(record: SourceRecord): ReadDirectoryLine {
  const fields = new FieldReader(record);
  const professional = readProfessional(fields);
  const site = readSite(fields);
  const activity = readActivity(fields);
  if (fields.rejects.length > 0 || !professional || !site || !activity) return { value: keepLine(record.line, fields), rejects: fields.rejects };
  return { value: { kind: 'activity', line: record.line, ...professional, ...site, ...activity }, rejects: [] };
}

/**
 * The identifiers of a rejected line, read again quietly (its faults are already
 * reported). A readable RPPS names the professional, whose activities are then all kept;
 * without it, the line might be anyone's at its structure, whose activities are kept.
 */
function keepLine(line: number, fields: FieldReader): DirectoryKeep | undefined {
  const quietly = <T>(parsed: Result<T, unknown>): T | null => (parsed.ok ? parsed.value : null);
  const rpps = quietly(parseRpps(fields.text('rpps')));
  if (rpps) return { kind: 'keep', line, rpps, finess: null, siret: null };
  const finess = quietly(parseFiness(fields.text('finess')));
  const siret = quietly(parseSiret(fields.text('siret')));
  return finess || siret ? { kind: 'keep', line, rpps, finess, siret } : undefined;
}

type Part<K extends keyof DirectoryLine> = Pick<DirectoryLine, K> | undefined;

function readProfessional(fields: FieldReader): Part<'rpps' | 'lastName' | 'firstName' | 'profession' | 'specialty'> {
  const rpps = fields.required('rpps', parseRpps);
  const lastName = fields.required('nom', personName);
  const firstName = fields.required('prenom', personName);
  const profession = fields.required('profession', oneOf(professions, 'code profession'));
  const specialty = fields.optional('specialite', specialtyCode);
  if (!rpps || !lastName || !firstName || !profession || specialty === undefined) return undefined;
  return { rpps, lastName, firstName, profession, specialty };
}

function readSite(fields: FieldReader): Part<'finess' | 'siret' | 'siteName' | 'siteKind' | 'department'> {
  const finess = fields.optional('finess', parseFiness);
  const siret = fields.optional('siret', parseSiret);
  // Both empty is the fault here; a present but invalid one was already reported by its parser.
  if (finess === null && siret === null) fields.fail('finess', 'FIELD_MISSING', 'FINESS ou SIRET de la structure : l’un des deux est obligatoire');
  const siteName = fields.required('raison_sociale', personName);
  const siteKind = fields.required('type_structure', oneOf(siteKinds, 'type de structure'));
  const department = fields.required('departement', oneOf(departments, 'département'));
  if (finess === undefined || siret === undefined || !siteName || !siteKind || !department) return undefined;
  return { finess, siret, siteName, siteKind, department };
}

function readActivity(fields: FieldReader): Part<'amNumber' | 'role' | 'startedOn' | 'endedOn'> {
  const amNumber = fields.optional('numero_am', amNumberOf);
  const role = fields.required('role', oneOf(roles, 'rôle'));
  const startedOn = fields.required('debut', parseCalendarDate);
  const endedOn = fields.optional('fin', parseCalendarDate);
  if (startedOn && endedOn && endedOn < startedOn) fields.fail('fin', 'PERIOD_INVALID', '');
  if (amNumber === undefined || !role || !startedOn || endedOn === undefined) return undefined;
  return { amNumber, role, startedOn, endedOn };
}

/** A closed list of codes; the message names them, the rejected value is never repeated. */
function oneOf(values: readonly string[], label: string): (text: string) => FieldResult {
  const reason = values.length > 20 ? `${label} inconnu` : `${label} attendu parmi : ${values.join(', ')}`;
  return (text) => (values.includes(text) ? { ok: true, value: text } : { ok: false, error: { code: 'FIELD_INVALID', reason } });
}

function specialtyCode(text: string): FieldResult {
  return /^[A-Za-z0-9_-]{1,20}$/.test(text)
    ? { ok: true, value: text }
    : { ok: false, error: { code: 'FIELD_INVALID', reason: 'spécialité : 1 à 20 caractères A-Z 0-9 _ -' } };
}

function amNumberOf(text: string): FieldResult {
  return /^\d{9}$/.test(text)
    ? { ok: true, value: text }
    : { ok: false, error: { code: 'FIELD_INVALID', reason: "numéro d'assurance maladie : 9 chiffres" } };
}
