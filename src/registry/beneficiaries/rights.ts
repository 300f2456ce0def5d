import { isCareDomain, type CareDomain } from '../../domain/coverage/care-domain.js';
import { parseCalendarDate, type CalendarDate } from '../../domain/dates.js';
import type { ErrorCode } from '../../domain/errors/codes.js';
import type { Result } from '../../domain/identifiers/result.js';

/** A beneficiary's right to one care domain over a period; `to` null = open. */
export interface RightsPeriod {
  domain: CareDomain;
  from: CalendarDate;
  to: CalendarDate | null;
}

type RightsResult = Result<RightsPeriod[], { code: ErrorCode; reason: string }>;

/** Reads `PHAR:2026-01-01:2026-12-31 OPTI:2026-01-01:` (docs/formats.md), in a canonical order. */
export function parseRights(text: string): RightsResult {
  const periods: RightsPeriod[] = [];
  for (const item of text.split(/\s+/).filter(Boolean)) {
    const [domain = '', from = '', to = '', ...extra] = item.split(':');
    if (extra.length > 0 || item.split(':').length !== 3) return fail('FIELD_INVALID', `« ${item} » : DOMAINE:DEBUT:FIN attendu`);
    if (!isCareDomain(domain)) return fail('CARE_DOMAIN_UNKNOWN', `domaine « ${domain} » inconnu`);
    const start = parseCalendarDate(from);
    const end = to === '' ? null : parseCalendarDate(to);
    if (!start.ok) return fail('DATE_INVALID', `${domain} : début « ${from} » invalide`);
    if (end !== null && !end.ok) return fail('DATE_INVALID', `${domain} : fin « ${to} » invalide`);
    const endDate = end === null ? null : end.value;
    if (endDate !== null && endDate < start.value) return fail('PERIOD_INVALID', `${domain} : la fin précède le début`);
    periods.push({ domain, from: start.value, to: endDate });
  }
  return { ok: true, value: periods.sort(comparePeriods) };
}

function comparePeriods(a: RightsPeriod, b: RightsPeriod): number {
  return a.domain === b.domain ? a.from.localeCompare(b.from) : a.domain.localeCompare(b.domain);
}

function fail(code: ErrorCode, reason: string): RightsResult {
  return { ok: false, error: { code, reason } };
}
