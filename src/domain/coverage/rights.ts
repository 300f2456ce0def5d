import { isCareDomain, type CareDomain } from './care-domain.js';
import { parseCalendarDate, type CalendarDate } from '../dates.js';
import type { ErrorCode } from '../errors/codes.js';
import type { Result } from '../identifiers/result.js';

/** A beneficiary's right to one care domain over a period; `to` null = open-ended. */
export interface RightsPeriod {
  domain: CareDomain;
  from: CalendarDate;
  to: CalendarDate | null;
}

type RightsResult = Result<RightsPeriod[], { code: ErrorCode; reason: string }>;

/**
 * Reads the exchange-file form, one item per domain (docs/formats.md):
 * `PHAR:2026-01-01:2026-12-31 OPTI:2026-01-01:` (an empty end = open).
 */
export function parseRightsList(text: string): RightsResult {
  const periods: RightsPeriod[] = [];
  for (const item of text.split(' ')) {
    if (item === '') continue;
    const parts = item.split(':');
    const [domain = '', from = '', to = ''] = parts;
    if (parts.length !== 3) return fail('FIELD_INVALID', `« ${item} » : DOMAINE:DEBUT:FIN attendu`);
    const period = readPeriod(domain, from, to);
    if (!('domain' in period)) return fail(period.code, period.reason);
    periods.push(period);
  }
  return { ok: true, value: periods };
}

/**
 * The stored form: periods grouped by dates, domains sorted, e.g.
 * `2026-01-01/2026-12-31:DENT,OPTI,PHAR;2026-01-01/:HOSP`. A whole family of 13 domains
 * over one year takes ~90 bytes instead of ~900 as JSON, and equal rights give equal text.
 */
export function formatRights(periods: readonly RightsPeriod[]): string {
  const groups = new Map<string, CareDomain[]>();
  for (const period of periods) {
    const key = `${period.from}/${period.to ?? ''}`;
    const domains = groups.get(key) ?? [];
    if (!domains.includes(period.domain)) domains.push(period.domain);
    groups.set(key, domains);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, domains]) => `${key}:${domains.sort().join(',')}`)
    .join(';');
}

/** Reads the stored form back; the store only ever holds what formatRights wrote. */
export function parseStoredRights(text: string): RightsPeriod[] {
  if (text === '') return [];
  return text.split(';').flatMap((group) => {
    const [dates = '', domains = ''] = group.split(':');
    const [from = '', to = ''] = dates.split('/');
    return domains.split(',').map((domain) => ({ domain: domain as CareDomain, from: from as CalendarDate, to: to === '' ? null : (to as CalendarDate) }));
  });
}

/** Closing rights on a date: periods starting after it vanish, the others end by it. */
export function closeRights(periods: readonly RightsPeriod[], closing: CalendarDate): RightsPeriod[] {
  return periods.filter((p) => p.from <= closing).map((p) => ({ ...p, to: p.to === null || p.to > closing ? closing : p.to }));
}

/** Whether the beneficiary had rights to `domain` on `day`. */
export function coveredOn(periods: readonly RightsPeriod[], domain: CareDomain, day: CalendarDate): boolean {
  return periods.some((p) => p.domain === domain && p.from <= day && (p.to === null || day <= p.to));
}

function readPeriod(domain: string, from: string, to: string): RightsPeriod | { code: ErrorCode; reason: string } {
  if (!isCareDomain(domain)) return { code: 'CARE_DOMAIN_UNKNOWN', reason: `domaine « ${domain} » inconnu` };
  const start = parseCalendarDate(from);
  if (!start.ok) return { code: 'DATE_INVALID', reason: `${domain} : début « ${from} » invalide` };
  if (to === '') return { domain, from: start.value, to: null };
  const end = parseCalendarDate(to);
  if (!end.ok) return { code: 'DATE_INVALID', reason: `${domain} : fin « ${to} » invalide` };
  if (end.value < start.value) return { code: 'PERIOD_INVALID', reason: `${domain} : la fin précède le début` };
  return { domain, from: start.value, to: end.value };
}

function fail(code: ErrorCode, reason: string): RightsResult {
  return { ok: false, error: { code, reason } };
}
