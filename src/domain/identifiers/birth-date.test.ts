import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addDays, addMonths, type CalendarDate } from '../dates.js';
import { ageOn, parseBirthDate, type BirthDate } from './birth-date.js';

const TODAY = new Date(Date.UTC(2025, 5, 15));

describe('parseBirthDate', () => {
  it('accepts a calendar date, not lunar', () => {
    expect(parseBirthDate('1980-07-14', TODAY)).toEqual({
      ok: true,
      value: { text: '1980-07-14', year: 1980, month: 7, day: 14, lunar: false },
    });
    expect(parseBirthDate('2000-02-29', TODAY)).toMatchObject({ ok: true, value: { lunar: false } });
  });

  it.each(['1962-00-00', '1975-00-15', '1980-02-30', '1900-02-29', '1971-13-01', '1971-04-31', '1990-99-99'])(
    'keeps the lunar date %s exactly as given and flags it',
    (input) => {
      expect(parseBirthDate(input, TODAY)).toMatchObject({ ok: true, value: { text: input, lunar: true } });
    },
  );

  it.each(['', '1980-7-14', '14/07/1980', '19800714', ' 1980-07-14', '1980-07-14 ', '1980-07-14T00:00', '198O-07-14'])(
    'rejects the shape %j',
    (input) => {
      expect(parseBirthDate(input, TODAY)).toMatchObject({ ok: false, error: { code: 'DATE_INVALID' } });
    },
  );

  it('accepts years from 1850 to the current year only', () => {
    expect(parseBirthDate('1850-01-01', TODAY).ok).toBe(true);
    expect(parseBirthDate('2025-12-31', TODAY).ok).toBe(true);
    expect(parseBirthDate('1849-12-31', TODAY)).toMatchObject({ ok: false, error: { code: 'DATE_INVALID' } });
    expect(parseBirthDate('2026-01-01', TODAY)).toMatchObject({ ok: false, error: { code: 'DATE_INVALID' } });
  });

  it('never alters any well-shaped date in range', () => {
    const shaped = fc
      .tuple(fc.integer({ min: 1850, max: 2025 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(shaped, (input) => {
        const result = parseBirthDate(input, TODAY);
        expect(result.ok && result.value.text).toBe(input);
      }),
    );
  });
});

describe('ageOn', () => {
  const day = today();
  const born = (text: string): BirthDate => {
    const parsed = parseBirthDate(text, new Date(`${day}T00:00:00Z`));
    if (!parsed.ok) throw new Error(parsed.error.reason);
    return parsed.value;
  };
  const sixteenYearsAgo: CalendarDate = addMonths(day, -16 * 12);

  it('turns 16 on the sixteenth birthday, not the day before', () => {
    expect(ageOn(born(sixteenYearsAgo), day)).toBe(16);
    expect(ageOn(born(addDays(sixteenYearsAgo, 1)), day)).toBe(15);
    expect(ageOn(born(day), day)).toBe(0);
    expect(ageOn(born(day), addDays(day, -1))).toBeUndefined();
  });

  it('takes a lunar month or day as the oldest the person can be', () => {
    const year = Number(day.slice(0, 4)) - 16;
    expect(ageOn(born(`${year}-00-00`), day)).toBe(16);
    expect(ageOn(born(`${year}-${day.slice(5, 7)}-00`), day)).toBe(16);
  });
});
