import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type CalendarDate } from '../dates.js';
import { cents } from '../money.js';
import type { DomainGuarantee, InvoiceLine } from './calculation-types.js';
import { checkStay, MAX_ADMISSION_AGE_DAYS, MAX_STAY_DAYS, type HospitalStay } from './hospital-stay.js';
import { calculated, careDay, guarantee, line, request, withFamilies } from './test-support/invoices.js';

const dailyFee = (days: number, price = 20): InvoiceLine => line({ actCode: 'FJ', domain: 'HOSP', quantity: days, price, amoRateBp: 0 });
const privateRoom = (nights: number, price: number): InvoiceLine => line({ actCode: 'CP', domain: 'HOSP', quantity: nights, price, base: 0, amoRateBp: 0 });
const stayBase = line({ actCode: 'GHS', domain: 'HOSP', price: 3_000, amoRateBp: 8_000 });

describe('a hospital stay asked for a prior agreement (checkStay)', () => {
  const today = careDay;
  const check = (stay: HospitalStay | undefined, lines: InvoiceLine[], admission: CalendarDate = today): string | undefined => checkStay(stay, lines, admission, today)?.code;

  it('takes a stay whose forfaits and private room nights fit its days, admitted today or up to 30 days ago', () => {
    expect(check({ expectedDays: 3, privateRoom: true }, [dailyFee(3), stayBase, privateRoom(2, 80)])).toBeUndefined();
    expect(check({ expectedDays: 1, privateRoom: false }, [stayBase], addDays(today, -MAX_ADMISSION_AGE_DAYS))).toBeUndefined();
    expect(check(undefined, [line({ domain: 'OPTI', price: 100 })])).toBeUndefined();
  });

  it('refuses a stay missing in HOSP, a stay outside HOSP, and days that are not 1 to 365', () => {
    expect(check(undefined, [dailyFee(3)])).toBe('FIELD_MISSING');
    expect(check({ expectedDays: 3, privateRoom: false }, [line({ domain: 'DENT', price: 100 })])).toBe('HOSPITAL_STAY_INVALID');
    for (const days of [0, -1, 2.5, MAX_STAY_DAYS + 1, Number.NaN]) expect(check({ expectedDays: days, privateRoom: false }, [stayBase]), String(days)).toBe('HOSPITAL_STAY_INVALID');
  });

  it('refuses an admission more than 30 days ago, more forfaits or room nights than days, and a private room priced but not asked or asked but not priced', () => {
    expect(check({ expectedDays: 3, privateRoom: false }, [stayBase], addDays(today, -MAX_ADMISSION_AGE_DAYS - 1))).toBe('PRIOR_AGREEMENT_CARE_DATE');
    expect(check({ expectedDays: 3, privateRoom: false }, [dailyFee(4)])).toBe('HOSPITAL_STAY_INVALID');
    expect(check({ expectedDays: 3, privateRoom: true }, [privateRoom(4, 80)])).toBe('HOSPITAL_STAY_INVALID');
    expect(check({ expectedDays: 3, privateRoom: false }, [privateRoom(1, 80)])).toBe('HOSPITAL_STAY_INVALID');
    expect(check({ expectedDays: 3, privateRoom: true }, [dailyFee(3)])).toBe('HOSPITAL_STAY_INVALID');
  });
});

/** A HOSP guarantee as a catalogue may write it, the private room per day or not said, with or without a ceiling. */
const hospitalGuarantee: fc.Arbitrary<{ guarantee: DomainGuarantee; roomPerDay: number | null }> = fc
  .record({
    domain: fc.constantFrom('TM', 'FR', '0 €', '100% BR', '300% BR', '50 €'),
    roomPerDay: fc.option(fc.integer({ min: 0, max: 150 })),
    ceiling: fc.option(fc.record({ ceiling: fc.integer({ min: 0, max: 2_000 }), consumed: fc.integer({ min: 0, max: 2_500 }) })),
  })
  .map(({ domain, roomPerDay, ceiling }) => {
    const base = guarantee(domain, ceiling ?? undefined);
    return { guarantee: roomPerDay === null ? base : withFamilies(base, { CHAMBRE_PARTICULIERE: `${roomPerDay} €` }), roomPerDay };
  });

describe('a hospital stay priced by the calculation, for any number of days (fast-check)', () => {
  const stay = fc.record({
    days: fc.integer({ min: 1, max: MAX_STAY_DAYS }),
    nightsShare: fc.double({ min: 0, max: 1, noNaN: true }),
    fee: fc.constantFrom(15, 20),
    roomPrice: fc.integer({ min: 0, max: 200 }),
    hospital: hospitalGuarantee,
    responsable: fc.boolean(),
  });

  it('pays the forfait journalier in full under a contrat responsable, never negative nor above what each rule allows', () => {
    fc.assert(
      fc.property(stay, ({ days, nightsShare, fee, roomPrice, hospital, responsable }) => {
        const nights = Math.max(1, Math.floor(days * nightsShare));
        const lines = [dailyFee(days, fee), stayBase, privateRoom(nights, roomPrice)];
        const result = calculated(request(lines, { HOSP: hospital.guarantee }, responsable));
        const [fj, base, room] = result.lines;
        for (const priced of result.lines) {
          expect(priced.amcCents).toBeGreaterThanOrEqual(0);
          expect(priced.amcCents).toBeLessThanOrEqual(priced.priceCents - priced.amoCents);
        }
        if (responsable) {
          expect(fj).toMatchObject({ amcCents: fee * 100 * days, rule: 'hospital_daily_fee', ceilingConsumedCents: 0 });
          // The ticket modérateur of the stay's base: 20 % of 3 000 €.
          expect(base?.amcCents).toBeGreaterThanOrEqual(60_000);
        }
        // The private room: never more than the guarantee's amount per day, nor than the ceiling has left.
        if (hospital.roomPerDay !== null) expect(room?.amcCents).toBeLessThanOrEqual(hospital.roomPerDay * 100 * nights);
        const ceiling = hospital.guarantee.annualCeilingCents;
        if (ceiling !== null) {
          const left = Math.max(0, ceiling - hospital.guarantee.consumedCents);
          expect(result.lines.reduce((sum, priced) => sum + priced.ceilingConsumedCents, 0)).toBeLessThanOrEqual(left);
          expect(room?.amcCents).toBeLessThanOrEqual(left);
        }
      }),
    );
  });

  it('pays a private room per day what the guarantee says, when no ceiling bites', () => {
    const room = calculated(request([privateRoom(4, 90)], { HOSP: withFamilies(guarantee('FR'), { CHAMBRE_PARTICULIERE: '60 €' }) })).lines[0];
    expect(room).toMatchObject({ amcCents: cents(24_000), rule: 'flat', patientCents: cents(12_000) });
  });
});
