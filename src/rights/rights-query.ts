import { isCareDomain, type CareDomain } from '../domain/coverage/care-domain.js';
import { addDays, parseCalendarDate, todayUtc, type CalendarDate } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { parseAmcNumber, parseBirthDate, parseMemberNumber, parseNir, type BirthDate, type MemberNumber, type Nir } from '../domain/identifiers/index.js';

/** What the card and the Vitale card give, plus the day of care: all a rights check may use. */
export interface RightsQuery {
  amcNumber: string;
  memberNumber: string;
  nir: Nir;
  birthDate: BirthDate;
  rank: number;
  careDate: CalendarDate;
  /** Asked for one care domain only; otherwise every domain of the caller's practice. */
  domain: CareDomain | undefined;
}

/** The request's fields as the API names them (French, like the card). */
export interface RightsCheckBody {
  amc: string;
  adherent: string;
  nir: string;
  naissance: string;
  rang: number;
  dateSoins: string;
  domaine?: string | undefined;
}

const DAYS_BACK = 731;
const DAYS_AHEAD = 31;

/**
 * Reads a request into a query, or refuses it with the identifier's own error code: a
 * malformed NIR, a wrong key, an impossible date is the caller's mistake and says so
 * (it reveals nothing about anyone); whether someone is covered never does.
 */
export function readRightsQuery(body: RightsCheckBody, now: Date): RightsQuery {
  const amc = parseAmcNumber(body.amc);
  if (!amc.ok) throw new RempartError(amc.error.code, `amc : ${amc.error.reason}`);
  const person = readCardIdentity(body, now);
  if (body.domaine !== undefined && !isCareDomain(body.domaine)) throw new RempartError('CARE_DOMAIN_UNKNOWN', body.domaine);
  return { amcNumber: amc.value, ...person, rank: body.rang, careDate: careDateOf(body.dateSoins, now), domain: body.domaine };
}

/** A person as the cards name them; each identifier refused with its own code and field name. */
export interface CardIdentity {
  memberNumber: MemberNumber;
  nir: Nir;
  birthDate: BirthDate;
}

/** Reads the card fields a rights check and a member portal both name a person by. */
export function readCardIdentity(body: { adherent: string; nir: string; naissance: string }, now: Date): CardIdentity {
  const nir = parseNir(body.nir);
  if (!nir.ok) throw new RempartError(nir.error.code, `nir : ${nir.error.reason}`);
  const birthDate = parseBirthDate(body.naissance, now);
  if (!birthDate.ok) throw new RempartError(birthDate.error.code, `naissance : ${birthDate.error.reason}`);
  const member = parseMemberNumber(body.adherent);
  if (!member.ok) throw new RempartError(member.error.code, `adherent : ${member.error.reason}`);
  return { memberNumber: member.value, nir: nir.value, birthDate: birthDate.value };
}

/** A real calendar day, at most two years back (late invoices) and a month ahead. */
function careDateOf(input: string, now: Date): CalendarDate {
  const parsed = parseCalendarDate(input);
  if (!parsed.ok) throw new RempartError('DATE_INVALID', `dateSoins : ${parsed.error.reason}`);
  const day = parsed.value;
  const [earliest, latest] = [addDays(todayUtc(now), -DAYS_BACK), addDays(todayUtc(now), DAYS_AHEAD)];
  if (day < earliest || day > latest) {
    throw new RempartError('DATE_INVALID', `dateSoins : entre ${earliest} et ${latest}`);
  }
  return day;
}

/** The JSON schema of the request body: shapes only; the rules above give the precise errors. */
export const rightsCheckBodySchema = {
  type: 'object',
  required: ['amc', 'adherent', 'nir', 'naissance', 'rang', 'dateSoins'],
  additionalProperties: false,
  properties: {
    amc: { type: 'string', maxLength: 12, description: 'Numéro AMC (carte de tiers payant)' },
    adherent: { type: 'string', minLength: 1, maxLength: 30, description: 'Numéro d’adhérent (carte de tiers payant)' },
    nir: { type: 'string', maxLength: 21, description: 'NIR avec sa clé (15 caractères, espaces permis)' },
    naissance: { type: 'string', maxLength: 10, description: 'Date de naissance AAAA-MM-JJ, telle que sur la carte Vitale (dates lunaires admises)' },
    rang: { type: 'integer', minimum: 1, maximum: 9, description: 'Rang de naissance' },
    dateSoins: { type: 'string', maxLength: 10, description: 'Date des soins AAAA-MM-JJ' },
    domaine: { type: 'string', maxLength: 4, description: 'Domaine de soins demandé (facultatif)' },
  },
} as const;
