import type { Result } from '../identifiers/result.js';
import { isFamilyOf } from './act-family.js';
import { allCareDomains, isCareDomain, type CareDomain } from './care-domain.js';
import type { CoverageError, CoverageRequest, DomainGuarantee, InvoiceLine } from './calculation-types.js';
import { checkDevice, checkOpticalEquipment } from './device-input.js';
import { checkAge, checkCeilingTerms, checkSide } from './ceiling-input.js';
import { checkOptam } from './optam-input.js';
import type { GuaranteeExpression } from './guarantee-expression.js';
import { invalid, within } from './input-checks.js';
import { pmssOn } from './pmss.js';

/** 1 M€ a unit: above that it is a typing error, not care. Keeps every sum a safe integer. */
const MAX_UNIT_CENTS = 100_000_000;
const MAX_QUANTITY = 9_999;
const MAX_LINES = 999;
/** The largest rate a card can print (9 999,99 %). */
const MAX_GUARANTEE_RATE_BP = 999_999;
export const MAX_COUNTER_CENTS = 1_000_000_000_000;
const bases: readonly string[] = ['br_percent', 'copay', 'actual_cost', 'flat', 'pmss_percent'];

type Check = CoverageError | undefined;

/**
 * Refuses what cannot be priced, with a French reason naming the line; on success gives
 * the PMSS to use (0 when no guarantee of the invoice needs it).
 */
export function checkRequest(request: CoverageRequest): Result<number, CoverageError> {
  const error =
    checkLineCount(request.lines.length) ?? firstError(request.lines.map(checkLine)) ?? checkOpticalEquipment(request.lines) ?? checkGuarantees(request) ??
    checkAge(request.beneficiaryAgeYears);
  if (error) return { ok: false, error };
  return pmssFor(request);
}

function checkLineCount(count: number): Check {
  if (count === 0) return { code: 'FIELD_MISSING', reason: 'La facture ne contient aucune ligne.' };
  if (count > MAX_LINES) return invalid(`La facture contient ${count} lignes`, `au plus ${MAX_LINES}`);
  return undefined;
}

function checkLine(line: InvoiceLine, index: number): Check {
  const where = `Ligne ${index + 1}`;
  if (!isCareDomain(line.domain)) return { code: 'CARE_DOMAIN_UNKNOWN', reason: `${where} : domaine « ${String(line.domain)} » inconnu.` };
  if (typeof line.actCode !== 'string' || line.actCode.trim() === '') return { code: 'FIELD_MISSING', reason: `${where} : code acte absent.` };
  if (!within(line.quantity, 1, MAX_QUANTITY)) return invalid(`${where} : quantité ${line.quantity}`, `entier de 1 à ${MAX_QUANTITY}`);
  if (!within(line.amoRateBp, 0, 10_000)) return invalid(`${where} : taux AMO ${line.amoRateBp}`, 'de 0 à 10 000 points de base (100 %)');
  const amounts: [string, number | undefined][] = [
    ['prix unitaire', line.unitPriceCents],
    ['base de remboursement unitaire', line.unitBaseCents],
    ['participation forfaitaire', line.flatFeeCents],
    ['franchise', line.deductibleCents],
    ['prix limite', line.priceLimitCents],
  ];
  const wrong = amounts.find(([, value]) => value !== undefined && !within(value, 0, MAX_UNIT_CENTS));
  if (wrong) return invalid(`${where} : ${wrong[0]} ${String(wrong[1])}`, `centimes entiers de 0 à ${MAX_UNIT_CENTS}`);
  if (line.hundredPercentSante === true && line.priceLimitCents === undefined) {
    return { code: 'FIELD_MISSING', reason: `${where} : une ligne 100 % Santé doit porter son prix limite de vente.` };
  }
  return checkDevice(line, where) ?? checkOptam(line, where) ?? checkSide(line, where);
}

function checkGuarantees(request: CoverageRequest): Check {
  const entries = Object.entries(request.terms.guarantees) as [string, DomainGuarantee | undefined][];
  return firstError(entries.map(([domain, guarantee]) => (guarantee ? checkGuarantee(domain, guarantee) : undefined)));
}

function checkGuarantee(domain: string, guarantee: DomainGuarantee): Check {
  const where = `Garantie ${domain}`;
  if (!isCareDomain(domain)) return { code: 'CARE_DOMAIN_UNKNOWN', reason: `${where} : domaine inconnu.` };
  const wrong = checkExpression(where, guarantee.expression) ?? checkFamilies(where, domain, guarantee);
  if (wrong) return wrong;
  const ceiling = guarantee.annualCeilingCents;
  if (ceiling !== null && !within(ceiling, 0, MAX_COUNTER_CENTS)) return invalid(`${where} : plafond annuel ${ceiling}`, 'centimes entiers positifs');
  if (!within(guarantee.consumedCents, 0, MAX_COUNTER_CENTS)) return invalid(`${where} : consommé ${guarantee.consumedCents}`, 'centimes entiers positifs');
  return checkCeilingTerms(where, domain, guarantee);
}

function checkExpression(where: string, expression: GuaranteeExpression): Check {
  const { basis, rateBp, flatCents } = expression;
  // 'none' in the catalogue means "not covered": the caller leaves the domain out, or gives a family null.
  if (!bases.includes(basis)) return invalid(`${where} : base « ${String(basis)} »`, `une de ${bases.join(', ')} ; un domaine non couvert est absent`);
  if (!within(rateBp, 0, MAX_GUARANTEE_RATE_BP)) return invalid(`${where} : taux ${rateBp}`, `de 0 à ${MAX_GUARANTEE_RATE_BP} points de base`);
  if (!within(flatCents, 0, MAX_UNIT_CENTS)) return invalid(`${where} : forfait ${flatCents}`, `centimes entiers de 0 à ${MAX_UNIT_CENTS}`);
  return undefined;
}

/** A family belongs to the guarantee's domain: "PHAR15" under OPTI would never apply, so it is a mistake. */
function checkFamilies(where: string, domain: CareDomain, guarantee: DomainGuarantee): Check {
  const entries = Object.entries(guarantee.families ?? {}) as [string, GuaranteeExpression | null | undefined][];
  return firstError(
    entries.map(([family, expression]) => {
      if (!isFamilyOf(family, domain)) return invalid(`${where} : famille « ${family} »`, `une famille d’actes du domaine ${domain}`);
      return expression ? checkExpression(`${where}, famille ${family}`, expression) : undefined;
    }),
  );
}

function pmssFor(request: CoverageRequest): Result<number, CoverageError> {
  const given = request.pmssCents;
  if (given !== undefined && !within(given, 1, MAX_UNIT_CENTS)) return { ok: false, error: invalid(`PMSS ${given}`, 'centimes entiers positifs') };
  const pmss = given ?? pmssOn(request.careDate);
  if (pmss !== undefined) return { ok: true, value: pmss };
  const needed = allCareDomains.some((domain) => readsPmss(request.terms.guarantees[domain]) && request.lines.some((line) => line.domain === domain));
  if (!needed) return { ok: true, value: 0 };
  const reason = `PMSS de l'année ${request.careDate.slice(0, 4)} inconnu : il doit être fourni pour une garantie en % PMSS.`;
  return { ok: false, error: { code: 'FIELD_MISSING', reason } };
}

function readsPmss(guarantee: DomainGuarantee | undefined): boolean {
  const expressions = guarantee ? [guarantee.expression, ...Object.values(guarantee.families ?? {})] : [];
  return expressions.some((expression) => expression?.basis === 'pmss_percent');
}

function firstError(checks: readonly Check[]): Check {
  return checks.find((check) => check !== undefined);
}
