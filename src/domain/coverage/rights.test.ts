import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../dates.js';
import { allCareDomains } from './care-domain.js';
import { closeRights, coveredOn, formatRights, parseRightsList, parseStoredRights, type RightsPeriod } from './rights.js';

const day = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10) as CalendarDate);
const period: fc.Arbitrary<RightsPeriod> = fc
  .tuple(fc.constantFrom(...allCareDomains), day, fc.option(day))
  .map(([domain, a, b]) => (b !== null && b < a ? { domain, from: b, to: a } : { domain, from: a, to: b }));
const periods = fc.uniqueArray(period, { selector: (p) => `${p.domain}${p.from}${p.to}`, maxLength: 20 });

const sortKey = (p: RightsPeriod): string => `${p.from}/${p.to ?? ''}/${p.domain}`;
const canonical = (list: readonly RightsPeriod[]): RightsPeriod[] => [...list].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));

describe('rights periods', () => {
  it('reads the exchange-file form', () => {
    expect(parseRightsList('PHAR:2026-01-01:2026-12-31 OPTI:2026-01-01:')).toEqual({
      ok: true,
      value: [
        { domain: 'PHAR', from: '2026-01-01', to: '2026-12-31' },
        { domain: 'OPTI', from: '2026-01-01', to: null },
      ],
    });
  });

  it.each([
    ['XXXX:2026-01-01:', 'CARE_DOMAIN_UNKNOWN'],
    ['PHAR:2026-02-30:', 'DATE_INVALID'],
    ['PHAR:2026-02-01:2026-01-01', 'PERIOD_INVALID'],
    ['PHAR:2026-01-01', 'FIELD_INVALID'],
  ])('refuses %s', (text, code) => {
    const parsed = parseRightsList(text);
    expect(parsed.ok ? 'ok' : parsed.error.code).toBe(code);
  });

  it('stores a year of every domain compactly', () => {
    const year = allCareDomains.map((domain) => ({ domain, from: '2026-01-01' as CalendarDate, to: '2026-12-31' as CalendarDate }));
    expect(formatRights(year).length).toBeLessThan(100);
  });

  it('reads back what it stores, whatever the order given', () => {
    fc.assert(
      fc.property(periods, (list) => {
        const stored = formatRights(list);
        expect(canonical(parseStoredRights(stored))).toEqual(canonical(list));
        expect(formatRights([...list].reverse())).toBe(stored);
      }),
    );
  });

  it('closing never extends a right and leaves nothing after the closing day', () => {
    fc.assert(
      fc.property(periods, day, fc.constantFrom(...allCareDomains), day, (list, closing, domain, probe) => {
        const closed = closeRights(list, closing);
        if (coveredOn(closed, domain, probe)) expect(coveredOn(list, domain, probe)).toBe(true);
        if (probe > closing) expect(coveredOn(closed, domain, probe)).toBe(false);
        if (probe <= closing) expect(coveredOn(closed, domain, probe)).toBe(coveredOn(list, domain, probe));
      }),
    );
  });
});
