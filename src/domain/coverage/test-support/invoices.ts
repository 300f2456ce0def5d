import fc from 'fast-check';
import { today } from '../../../clock.js';
import type { CalendarDate } from '../../dates.js';
import { cents, type Cents } from '../../money.js';
import { actFamilies, type ActFamily } from '../act-family.js';
import type { CareDomain } from '../care-domain.js';
import { OPTAM_DOMAINS } from '../optam-input.js';
import type { CoverageCalculation, CoverageRequest, CoverageTerms, Device, DomainGuarantee, InvoiceLine } from '../calculation-types.js';
import { calculateCoverage } from '../calculate.js';
import { PMSS_2025_CENTS, pmssCentsByYear, pmssOn } from '../pmss.js';
import { parseGuaranteeExpression, type GuaranteeExpression } from '../guarantee-expression.js';

/** The care day of the requests built here: today, by the clock the code uses. */
export const careDay: CalendarDate = today();

/**
 * A year whose PMSS the table does not know yet is refused unless the caller gives it (as
 * the AMC's software must until the arrêté is added): requests built here give the last
 * known one then, and nothing while the year is known.
 */
export const carePmss: Pick<CoverageRequest, 'pmssCents'> = pmssOn(careDay) === undefined ? { pmssCents: lastKnownPmss() } : {};

function lastKnownPmss(): Cents {
  const years = Object.keys(pmssCentsByYear).map(Number);
  return pmssCentsByYear[Math.max(...years)] ?? PMSS_2025_CENTS;
}

/** A line from euros and the fields that matter; the rest default to a plain sector 1 act. */
export function line(fields: Partial<Omit<InvoiceLine, 'unitPriceCents' | 'unitBaseCents' | 'flatFeeCents' | 'deductibleCents' | 'priceLimitCents'>> & {
  price: number;
  base?: number;
  flatFee?: number;
  deductible?: number;
  priceLimit?: number;
}): InvoiceLine {
  const { price, base = price, flatFee = 0, deductible = 0, priceLimit, ...rest } = fields;
  return {
    actCode: 'C',
    domain: 'MED',
    quantity: 1,
    amoRateBp: 7_000,
    ...rest,
    unitPriceCents: euros(price),
    unitBaseCents: euros(base),
    flatFeeCents: euros(flatFee),
    deductibleCents: euros(deductible),
    ...(priceLimit === undefined ? {} : { priceLimitCents: euros(priceLimit) }),
  };
}

/** A guarantee as printed on a card, e.g. guarantee('200% BR'), with an optional ceiling in euros. */
export function guarantee(text: string, ceiling?: { ceiling: number; consumed: number }): DomainGuarantee {
  const parsed = parseGuaranteeExpression(text);
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return {
    expression: parsed.value,
    annualCeilingCents: ceiling ? euros(ceiling.ceiling) : null,
    consumedCents: euros(ceiling?.consumed ?? 0),
  };
}

/** The same guarantee with guarantees of its own for some act families, as printed ("non couvert": null). */
export function withFamilies(base: DomainGuarantee, families: Partial<Record<ActFamily, string>>): DomainGuarantee {
  const entries = Object.entries(families).map(([family, text]) => [family, text === 'non couvert' ? null : guarantee(text ?? '').expression]);
  return { ...base, families: Object.fromEntries(entries) as DomainGuarantee['families'] };
}

export function request(lines: InvoiceLine[], guarantees: CoverageTerms['guarantees'], responsable = true): CoverageRequest {
  return { careDate: careDay, lines, terms: { responsable, guarantees } };
}

/** The calculation of a request the test expects to be priced. */
export function calculated(input: CoverageRequest): CoverageCalculation {
  const result = calculateCoverage(input);
  if (!result.ok) throw new Error(result.error.reason);
  return result.value;
}

export function euros(amount: number): ReturnType<typeof cents> {
  return cents(Math.round(amount * 100));
}

const expression: fc.Arbitrary<GuaranteeExpression> = fc.oneof(
  fc.constant<GuaranteeExpression>({ basis: 'copay', rateBp: 0, flatCents: cents(0) }),
  fc.constant<GuaranteeExpression>({ basis: 'actual_cost', rateBp: 0, flatCents: cents(0) }),
  fc.integer({ min: 0, max: 20_000 }).map((c): GuaranteeExpression => ({ basis: 'flat', rateBp: 0, flatCents: cents(c) })),
  fc.integer({ min: 0, max: 2_000 }).map((bp): GuaranteeExpression => ({ basis: 'pmss_percent', rateBp: bp, flatCents: cents(0) })),
  fc
    .tuple(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 5_000 }))
    .map(([bp, c]): GuaranteeExpression => ({ basis: 'br_percent', rateBp: bp, flatCents: cents(c) })),
);

const domainGuarantee: fc.Arbitrary<DomainGuarantee> = fc.record({
  expression,
  annualCeilingCents: fc.option(fc.integer({ min: 0, max: 60_000 }).map(cents)),
  consumedCents: fc.integer({ min: 0, max: 70_000 }).map(cents),
});

/** Few domains, so that lines share them and their ceilings. */
const lineDomains: readonly CareDomain[] = ['MED', 'MEDE', 'RADL', 'PHAR', 'DENT', 'HOSP', 'CURE', 'OPTI', 'AUDI'];

const opticalDevice = fc.constantFrom<Device>(
  { kind: 'frame' },
  { kind: 'lens', complexity: 'simple' },
  { kind: 'lens', complexity: 'complex' },
  { kind: 'lens', complexity: 'very_complex' },
  { kind: 'other' },
);
const hearingDevice = fc.constantFrom<Device>({ kind: 'hearing_aid' }, { kind: 'other' });
const domain = fc.constantFrom(...lineDomains);

const invoiceLine: fc.Arbitrary<InvoiceLine> = fc
  .record({
    actCode: fc.constantFrom('C', 'CS', 'G', 'FJ', 'PHAR65', 'SC'),
    domain,
    quantity: fc.integer({ min: 1, max: 4 }),
    base: fc.integer({ min: 0, max: 20_000 }),
    // Mostly above the base (dépassements), sometimes below it.
    priceOffset: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: -20_000, max: 0 })),
    amoRateBp: fc.oneof(fc.constantFrom(0, 1_500, 3_000, 6_000, 6_500, 7_000, 8_000, 10_000), fc.integer({ min: 0, max: 10_000 })),
    flatFee: fc.constantFrom(0, 0, 200, 400),
    deductible: fc.constantFrom(0, 0, 100, 400),
    optam: fc.constantFrom(undefined, true, false),
    hundredPercentSante: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    priceLimit: fc.option(fc.integer({ min: 0, max: 40_000 }), { freq: 2 }),
    opticalDevice,
    hearingDevice,
  })
  .map((r) => {
    const limit = r.hundredPercentSante ? (r.priceLimit ?? r.base) : r.priceLimit;
    return {
      actCode: r.actCode,
      domain: r.domain,
      quantity: r.quantity,
      unitPriceCents: cents(Math.max(0, r.base + r.priceOffset)),
      unitBaseCents: cents(r.base),
      amoRateBp: r.amoRateBp,
      flatFeeCents: cents(r.flatFee),
      deductibleCents: cents(r.deductible),
      ...optamFor(r.domain, r.optam, r.base, r.priceOffset),
      ...(r.hundredPercentSante ? { hundredPercentSante: true } : {}),
      ...(limit === null || limit === undefined ? {} : { priceLimitCents: cents(limit) }),
      ...deviceFor(r.domain, r.opticalDevice, r.hearingDevice),
    };
  });

/** A hospital dépassement says OPTAM or not, as checked on input: left unsaid, it becomes "not adherent". */
function optamFor(domain: CareDomain, optam: boolean | undefined, base: number, priceOffset: number): { optam?: boolean } {
  if (!OPTAM_DOMAINS.includes(domain)) return {};
  if (optam !== undefined) return { optam };
  return domain === 'HOSP' && base > 0 && priceOffset > 0 ? { optam: false } : {};
}

function deviceFor(domain: CareDomain, optical: Device, hearing: Device): { device?: Device } {
  if (domain === 'OPTI') return { device: optical };
  return domain === 'AUDI' ? { device: hearing } : {};
}

/** One pair of glasses per invoice, as checked on input: frames and lenses beyond it become "other". */
function onePairOfGlasses(lines: readonly InvoiceLine[]): InvoiceLine[] {
  let frames = 0;
  let lenses = 0;
  return lines.map((line) => {
    const kind = line.device?.kind;
    if (kind === 'frame') frames += line.quantity;
    if (kind === 'lens') lenses += line.quantity;
    const over = (kind === 'frame' && frames > 1) || (kind === 'lens' && lenses > 2);
    return over ? { ...line, device: { kind: 'other' } } : line;
  });
}

/** Guarantees of their own for some act families of the domain, "not covered" (null) among them. */
function familiesOf(domain: CareDomain): fc.Arbitrary<DomainGuarantee['families']> {
  const own = (Object.keys(actFamilies) as ActFamily[]).filter((family) => actFamilies[family].domain === domain);
  const entry = (family: ActFamily): fc.Arbitrary<[ActFamily, GuaranteeExpression | null] | undefined> =>
    fc.option(fc.option(expression, { freq: 3 }).map((e) => [family, e] as [ActFamily, GuaranteeExpression | null]), { freq: 2, nil: undefined });
  return fc.tuple(...own.map(entry)).map((entries) => Object.fromEntries(entries.filter((e) => e !== undefined)));
}

const terms: fc.Arbitrary<CoverageTerms> = fc.record({
  responsable: fc.boolean(),
  // Most domains covered, some not.
  guarantees: fc
    .tuple(...lineDomains.map((d) => fc.option(fc.tuple(domainGuarantee, familiesOf(d)), { freq: 5 }).map((g) => [d, g && { ...g[0], families: g[1] }] as const)))
    .map((pairs) => Object.fromEntries(pairs.filter(([, g]) => g !== null)) as CoverageTerms['guarantees']),
});

export const coverageRequest: fc.Arbitrary<CoverageRequest> = fc
  .record({
    careDate: fc.constant(careDay),
    lines: fc.array(invoiceLine, { minLength: 1, maxLength: 12 }).map(onePairOfGlasses),
    terms,
  })
  .map((request) => ({ ...request, ...carePmss }));
