import { describe, expect, it } from 'vitest';
import { counted, frenchCount, frenchDate, frenchDateTime, frenchPeriod, utcStamp } from './french.js';

describe('French dates and numbers', () => {
  it('shows instants in Paris time, winter and summer', () => {
    expect(frenchDateTime(new Date('2026-12-03T13:05:00Z'))).toBe('3 décembre 2026 à 14 h 05 (heure de Paris)');
    expect(frenchDateTime(new Date('2026-07-14T22:30:00Z'))).toBe('15 juillet 2026 à 00 h 30 (heure de Paris)');
  });

  it('writes the first of the month « 1er »', () => {
    expect(frenchDate(new Date('2026-11-30T23:30:00Z'))).toBe('1er décembre 2026');
    expect(frenchDate(new Date('2026-12-11T10:00:00Z'))).toBe('11 décembre 2026');
  });

  it('says one day once, two days as a period', () => {
    expect(frenchPeriod(new Date('2026-12-01T07:00:00Z'), new Date('2026-12-01T20:00:00Z'))).toBe('le 1er décembre 2026');
    expect(frenchPeriod(new Date('2026-12-01T07:00:00Z'), new Date('2026-12-03T07:00:00Z'))).toBe('du 1er décembre 2026 au 3 décembre 2026');
  });

  it('groups thousands with a narrow no-break space and puts 0 and 1 in the singular', () => {
    expect(frenchCount(1_234_567)).toBe('1\u202f234\u202f567');
    expect(counted(0, 'personne', 'personnes')).toBe('0 personne');
    expect(counted(1, 'personne', 'personnes')).toBe('1 personne');
    expect(counted(2, 'personne', 'personnes')).toBe('2 personnes');
  });

  it('keeps the exact UTC instant for comparison with logs', () => {
    expect(utcStamp(new Date('2026-12-03T13:05:09.123Z'))).toBe('2026-12-03 13:05:09 UTC');
  });
});
