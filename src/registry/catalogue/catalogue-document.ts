import { isFamilyOf, type ActFamily } from '../../domain/coverage/act-family.js';
import { isCareDomain, type CareDomain } from '../../domain/coverage/care-domain.js';
import { MAX_PERIOD_MONTHS, type CeilingScope } from '../../domain/coverage/ceiling-period.js';
import { parseFamilyExpression, parseGuaranteeExpression, type GuaranteeExpression } from '../../domain/coverage/guarantee-expression.js';
import { parseCalendarDate, type CalendarDate } from '../../domain/dates.js';
import type { ErrorCode } from '../../domain/errors/codes.js';
import { parseAmcNumber, type AmcNumber } from '../../domain/identifiers/index.js';
import { parseEuros, type Cents } from '../../domain/money.js';

/** An insurer's catalogue (docs/formats.md, `rempart.catalogue/1`), validated. */
export interface Catalogue {
  insurer: { amcNumber: AmcNumber; name: string; kind: 'mutuelle' | 'assureur' | 'institution_prevoyance'; priorAgreements: PriorAgreementTerms };
  conventions: { code: string; routingCriterion: string; label: string }[];
  products: Product[];
}

/** How long the insurer's prior agreements stay valid, and how much above the granted amount an invoice may claim. */
export interface PriorAgreementTerms {
  validityMonths: number;
  toleranceCents: Cents;
}

/**
 * An insurer whose catalogue says nothing (`organisme.accordsPrealables` absent): the
 * defaults of migration 025's columns — six months, the usual validity of an optical or
 * dental quote, and no tolerance: the granted amount is a maximum.
 */
export const PRIOR_AGREEMENT_DEFAULTS: PriorAgreementTerms = { validityMonths: 6, toleranceCents: 0 as Cents };
/** The bounds of migration 025's checks; a tolerance above 1,000 € would no longer bound anything. */
const MAX_VALIDITY_MONTHS = 24;
const MAX_TOLERANCE_CENTS = 100_000;

export interface Product {
  code: string;
  label: string;
  level: string;
  responsible: boolean;
  versions: ProductVersion[];
}

export interface ProductVersion {
  version: number;
  from: CalendarDate;
  to: CalendarDate | null;
  guarantees: Guarantee[];
}

export interface Guarantee {
  domain: CareDomain;
  label: string;
  expression: GuaranteeExpression;
  /** The ceiling's amount for one period: a calendar year unless `ceilingPeriodMonths` says otherwise. */
  annualCeiling: Cents | null;
  /** `plafondPeriode`: null for the calendar year (older catalogues), N for N rolling months. */
  ceilingPeriodMonths: number | null;
  /** `plafondPar`: the beneficiary's ceiling (older catalogues), or one per eye, per ear. */
  ceilingScope: CeilingScope;
  renewalMonths: number | null;
  hundredPercentSante: boolean;
  /** Guarantees of act families of the domain, as written (`« non couvert »` or an expression); empty in older catalogues. */
  families: Partial<Record<ActFamily, string>>;
}

export interface CatalogueFault {
  path: string;
  code: ErrorCode;
  message: string;
}

type Json = Record<string, unknown>;

/**
 * Reads the whole document and lists every fault with its JSON path. A catalogue is all
 * or nothing: half a product range would price care wrongly.
 */
export function readCatalogue(document: unknown): { catalogue?: Catalogue; faults: CatalogueFault[] } {
  const reader = new JsonReader();
  const root = reader.object(document, '');
  if (root?.format !== 'rempart.catalogue/1') return { faults: [{ path: 'format', code: 'FILE_KIND', message: 'format « rempart.catalogue/1 » attendu' }] };
  const insurer = readInsurer(reader, reader.object(root.organisme, 'organisme'));
  const conventions = reader.array(root.conventions ?? [], 'conventions').map((item, i) => readConvention(reader, item, `conventions[${i}]`));
  const products = reader.array(root.produits, 'produits').map((item, i) => readProduct(reader, item, `produits[${i}]`));
  reader.unique(products.map((p) => p?.code), 'produits', 'code produit');
  if (reader.faults.length > 0 || !insurer) return { faults: reader.faults };
  return { catalogue: { insurer, conventions: conventions.filter((c) => c !== undefined), products: products.filter((p) => p !== undefined) }, faults: [] };
}

function readInsurer(reader: JsonReader, json: Json | undefined): Catalogue['insurer'] | undefined {
  if (!json) return undefined;
  const amc = parseAmcNumber(reader.string(json.numeroAmc, 'organisme.numeroAmc') ?? '');
  if (!amc.ok) reader.fail('organisme.numeroAmc', amc.error.code, amc.error.reason);
  const name = reader.string(json.nom, 'organisme.nom');
  const kind = reader.oneOf(json.type, 'organisme.type', ['mutuelle', 'assureur', 'institution_prevoyance'] as const);
  const priorAgreements = json.accordsPrealables === undefined ? PRIOR_AGREEMENT_DEFAULTS : readPriorAgreementTerms(reader, reader.object(json.accordsPrealables, 'organisme.accordsPrealables'));
  return amc.ok && name && kind && priorAgreements ? { amcNumber: amc.value, name, kind, priorAgreements } : undefined;
}

/** Each key is optional: what is not said keeps its default. */
function readPriorAgreementTerms(reader: JsonReader, json: Json | undefined): PriorAgreementTerms | undefined {
  if (!json) return undefined;
  const path = 'organisme.accordsPrealables';
  const validityMonths = json.validiteMois === undefined ? PRIOR_AGREEMENT_DEFAULTS.validityMonths : reader.integer(json.validiteMois, `${path}.validiteMois`, 1, MAX_VALIDITY_MONTHS);
  const toleranceCents = json.toleranceFacturation === undefined ? PRIOR_AGREEMENT_DEFAULTS.toleranceCents : reader.euros(json.toleranceFacturation, `${path}.toleranceFacturation`);
  if (toleranceCents !== undefined && toleranceCents > MAX_TOLERANCE_CENTS) return reader.fail(`${path}.toleranceFacturation`, 'FIELD_INVALID', 'tolérance de 0 à 1 000 € attendue');
  return validityMonths !== undefined && toleranceCents !== undefined ? { validityMonths, toleranceCents } : undefined;
}

function readConvention(reader: JsonReader, item: unknown, path: string): Catalogue['conventions'][number] | undefined {
  const json = reader.object(item, path);
  const code = reader.string(json?.code, `${path}.code`);
  const label = reader.string(json?.libelle, `${path}.libelle`);
  const routingCriterion = json?.csr === undefined ? '' : (reader.string(json.csr, `${path}.csr`, true) ?? '');
  return code && label ? { code, label, routingCriterion } : undefined;
}

function readProduct(reader: JsonReader, item: unknown, path: string): Product | undefined {
  const json = reader.object(item, path);
  const code = reader.string(json?.code, `${path}.code`);
  if (code && !/^[A-Za-z0-9_-]{1,20}$/.test(code)) reader.fail(`${path}.code`, 'FIELD_INVALID', 'code produit : 1 à 20 caractères A-Z 0-9 _ -');
  const label = reader.string(json?.libelle, `${path}.libelle`);
  const level = reader.string(json?.niveau, `${path}.niveau`);
  const responsible = reader.boolean(json?.responsable, `${path}.responsable`);
  const versions = reader.array(json?.versions, `${path}.versions`).map((v, i) => readVersion(reader, v, `${path}.versions[${i}]`));
  reader.unique(versions.map((v) => v?.version), `${path}.versions`, 'numéro de version');
  checkNoOverlap(reader, versions, `${path}.versions`);
  if (!code || !label || !level || responsible === undefined || versions.some((v) => v === undefined)) return undefined;
  return { code, label, level, responsible, versions: versions as ProductVersion[] };
}

function readVersion(reader: JsonReader, item: unknown, path: string): ProductVersion | undefined {
  const json = reader.object(item, path);
  const version = reader.integer(json?.version, `${path}.version`, 1, 9999);
  const from = reader.date(json?.debut, `${path}.debut`);
  const to = json?.fin === null || json?.fin === undefined ? null : reader.date(json.fin, `${path}.fin`);
  if (from && to && to < from) reader.fail(`${path}.fin`, 'PERIOD_INVALID', '');
  const guarantees = reader.array(json?.garanties, `${path}.garanties`).map((g, i) => readGuarantee(reader, g, `${path}.garanties[${i}]`));
  reader.unique(guarantees.map((g) => g?.domain), `${path}.garanties`, 'domaine');
  if (version === undefined || !from || to === undefined || guarantees.some((g) => g === undefined)) return undefined;
  return { version, from, to, guarantees: guarantees as Guarantee[] };
}

function readGuarantee(reader: JsonReader, item: unknown, path: string): Guarantee | undefined {
  const json = reader.object(item, path);
  const domain = reader.string(json?.domaine, `${path}.domaine`);
  if (domain && !isCareDomain(domain)) reader.fail(`${path}.domaine`, 'CARE_DOMAIN_UNKNOWN', `domaine « ${domain} » inconnu`);
  const label = reader.string(json?.expression, `${path}.expression`);
  const expression = label === undefined ? undefined : parseGuaranteeExpression(label);
  if (expression && !expression.ok) reader.fail(`${path}.expression`, expression.error.code, expression.error.reason);
  const annualCeiling = json?.plafondAnnuel === undefined ? null : reader.euros(json.plafondAnnuel, `${path}.plafondAnnuel`);
  const renewalMonths = json?.renouvellementMois === undefined ? null : reader.integer(json.renouvellementMois, `${path}.renouvellementMois`, 1, MAX_PERIOD_MONTHS);
  const period = readCeilingPeriod(reader, json, path, domain, annualCeiling);
  const hundredPercentSante = json?.cent100Sante === undefined ? false : reader.boolean(json.cent100Sante, `${path}.cent100Sante`);
  if (!domain || !isCareDomain(domain) || !label || !expression?.ok || annualCeiling === undefined) return undefined;
  const families = json?.familles === undefined ? {} : readFamilies(reader, json.familles, `${path}.familles`, domain);
  if (renewalMonths === undefined || hundredPercentSante === undefined || families === undefined || !period) return undefined;
  return { domain, label, expression: expression.value, annualCeiling, ...period, renewalMonths, hundredPercentSante, families };
}

const scopes = { beneficiaire: 'beneficiary', oeil: 'eye', oreille: 'ear' } as const satisfies Record<string, CeilingScope>;
const scopeDomains: Readonly<Record<CeilingScope, string | undefined>> = { beneficiary: undefined, eye: 'OPTI', ear: 'AUDI' };

/**
 * `plafondPeriode`: « annee_civile » (the default, what older catalogues mean) or
 * `{ "moisGlissants": N }`; `plafondPar`: « beneficiaire » (default), « oeil » in optics,
 * « oreille » in hearing aids. Either one says something of a ceiling, so needs one.
 */
function readCeilingPeriod(reader: JsonReader, json: Json | undefined, path: string, domain: string | undefined, ceiling: Cents | null | undefined):
  Pick<Guarantee, 'ceilingPeriodMonths' | 'ceilingScope'> | undefined {
  const faults = reader.faults.length;
  const months = json?.plafondPeriode === undefined ? null : readPeriodMonths(reader, json.plafondPeriode, `${path}.plafondPeriode`);
  const word = json?.plafondPar === undefined ? 'beneficiaire' : reader.oneOf(json.plafondPar, `${path}.plafondPar`, Object.keys(scopes) as (keyof typeof scopes)[]);
  const scope = word === undefined ? undefined : scopes[word];
  if (scope && scopeDomains[scope] !== undefined && scopeDomains[scope] !== domain) reader.fail(`${path}.plafondPar`, 'FIELD_INVALID', `« ${word ?? ''} » : par œil en OPTI, par oreille en AUDI seulement`);
  const said = json?.plafondPeriode !== undefined || json?.plafondPar !== undefined;
  if (said && ceiling === null) reader.fail(`${path}.plafondAnnuel`, 'FIELD_MISSING', 'une période ou une portée de plafond sans plafond');
  return reader.faults.length === faults && months !== undefined && scope ? { ceilingPeriodMonths: months, ceilingScope: scope } : undefined;
}

function readPeriodMonths(reader: JsonReader, value: unknown, path: string): number | null | undefined {
  if (value === 'annee_civile') return null;
  const json = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  if (!json || Object.keys(json).some((key) => key !== 'moisGlissants')) return reader.fail(path, 'FIELD_INVALID', '« annee_civile » ou { "moisGlissants": N } attendu');
  return reader.integer(json.moisGlissants, `${path}.moisGlissants`, 1, MAX_PERIOD_MONTHS);
}

/** `{ "PHAR15": "non couvert", "PHAR30": "TM" }`: each family of the guarantee's domain, each wording readable. */
function readFamilies(reader: JsonReader, value: unknown, path: string, domain: string | undefined): Guarantee['families'] | undefined {
  const json = reader.object(value, path);
  if (!json) return undefined;
  const families: Guarantee['families'] = {};
  const faults = reader.faults.length;
  for (const [family, wording] of Object.entries(json)) {
    const text = reader.string(wording, `${path}.${family}`);
    const parsed = text === undefined ? undefined : parseFamilyExpression(text);
    if (!isFamilyOf(family, domain)) reader.fail(`${path}.${family}`, 'FIELD_INVALID', `famille d’actes inconnue dans le domaine ${domain ?? '?'}`);
    else if (parsed && !parsed.ok) reader.fail(`${path}.${family}`, parsed.error.code, parsed.error.reason);
    else if (text !== undefined) families[family] = text;
  }
  return reader.faults.length === faults ? families : undefined;
}

function checkNoOverlap(reader: JsonReader, versions: (ProductVersion | undefined)[], path: string): void {
  const sorted = versions.filter((v) => v !== undefined).sort((a, b) => a.from.localeCompare(b.from));
  sorted.slice(1).forEach((version, i) => {
    const previous = sorted[i];
    if (previous && (previous.to === null || previous.to >= version.from)) {
      reader.fail(path, 'PERIOD_INVALID', `les versions ${previous.version} et ${version.version} se chevauchent`);
    }
  });
}

/** Typed access to untrusted JSON, recording each fault instead of stopping at the first. */
class JsonReader {
  readonly faults: CatalogueFault[] = [];

  fail(path: string, code: ErrorCode, message: string): undefined {
    this.faults.push({ path, code, message });
    return undefined;
  }

  object(value: unknown, path: string): Json | undefined {
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : this.fail(path, 'FIELD_INVALID', 'objet attendu');
  }

  array(value: unknown, path: string): unknown[] {
    return Array.isArray(value) ? value : (this.fail(path, 'FIELD_INVALID', 'liste attendue') ?? []);
  }

  string(value: unknown, path: string, allowEmpty = false): string | undefined {
    if (typeof value === 'string' && (allowEmpty || value.trim() !== '') && value.length <= 200) return value.trim();
    return this.fail(path, value === undefined ? 'FIELD_MISSING' : 'FIELD_INVALID', 'texte de 1 à 200 caractères attendu');
  }

  boolean(value: unknown, path: string): boolean | undefined {
    return typeof value === 'boolean' ? value : this.fail(path, 'FIELD_INVALID', 'true ou false attendu');
  }

  integer(value: unknown, path: string, min: number, max: number): number | undefined {
    return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? (value as number)
      : this.fail(path, 'FIELD_INVALID', `entier de ${min} à ${max} attendu`);
  }

  date(value: unknown, path: string): CalendarDate | undefined {
    const parsed = parseCalendarDate(typeof value === 'string' ? value : '');
    return parsed.ok ? parsed.value : this.fail(path, parsed.error.code, parsed.error.reason);
  }

  euros(value: unknown, path: string): Cents | undefined {
    const parsed = parseEuros(typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '');
    return parsed.ok ? parsed.value : this.fail(path, parsed.error.code, parsed.error.reason);
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    return allowed.includes(value as T) ? (value as T) : this.fail(path, 'FIELD_INVALID', `valeurs possibles : ${allowed.join(', ')}`);
  }

  unique(values: readonly unknown[], path: string, what: string): void {
    const present = values.filter((v) => v !== undefined);
    const repeated = present.filter((v, i) => present.indexOf(v) !== i);
    if (repeated.length > 0) this.fail(path, 'FIELD_INVALID', `${what} répété : ${repeated.map(String).join(', ')}`);
  }
}
