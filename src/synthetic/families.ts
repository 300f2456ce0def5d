import type { Sex } from '../domain/identifiers/index.js';
import { chance, seededRng } from '../domain/random.js';
import type { Rng } from '../domain/random.js';
import { DAYS_PER_YEAR, firstDayOfYear, isoDate, lastDayOfYear, toDay, yearOf } from '../fiction/calendar.js';
import type { Insurer } from './insurers.js';
import { NirSpace } from './nir-space.js';
import { firstName, lastName, randomSex } from '../fiction/names.js';
import { ownIdentity } from './people.js';
import type { Identity } from './people.js';
import type { ProductOffer } from './products.js';
import { RightsText } from './rights.js';
import { Weighted } from './weighted.js';

/** The columns of a full beneficiaries file, in the order of docs/formats.md (no `operation`, no `date_effet`). */
export const BENEFICIARY_COLUMNS = [
  'adherent', 'produit', 'convention', 'debut_contrat', 'fin_contrat', 'nir', 'date_naissance', 'rang', 'qualite',
  'nom', 'prenom', 'droits',
] as const;

const QUALITY = { member: '0', spouse: '2', partner: '4', child: '6' } as const;

const SPOUSE_SHARE = 0.55;
const MARRIED_SHARE = 0.65;
/** Children per family whose member is of an age to have dependants (mean about 1.2). */
const CHILD_COUNTS = new Weighted<number>([[0, 40], [1, 20], [2, 25], [3, 10], [4, 5]]);
/** Families with children that have twins: about 1.5%, so that every file has some. */
const TWIN_SHARE = 0.015;
/** Children stay on the contract until 25 (students); siblings are at least 10 months apart. */
const OLDEST_CHILD_AGE = 25;
const SIBLING_GAP_DAYS = 300;
/** Under 12, children are most often on a parent's card; from 16 they have their own NIR. */
const OWN_NIR_AGE = 16;

interface Contract {
  readonly memberNumber: string;
  readonly offer: ProductOffer;
  readonly convention: string;
  readonly from: string;
  readonly to: string;
  /** The rights' period this year, in days. */
  readonly rightsFrom: number;
  readonly rightsTo: number;
}

interface Person {
  readonly identity: Identity;
  readonly lastName: string;
  readonly firstName: string;
}

/** A birth in the family: one child, or twins who share a date and are told apart by rank. */
interface Birth {
  readonly day: number;
  readonly twins: boolean;
}

/**
 * The lines of one insurer's full file, family after family, with exactly
 * `insurer.beneficiaries` lines (the last family may be cut short).
 */
export function* beneficiaryRows(insurer: Insurer, seed: string | number, extractionDate: string): Generator<readonly string[]> {
  const families = new FamilyFactory(insurer, seed, toDay(extractionDate));
  let remaining = insurer.beneficiaries;
  for (let contract = 0; remaining > 0; contract += 1) {
    for (const row of families.family(contract)) {
      yield row;
      remaining -= 1;
      if (remaining === 0) return;
    }
  }
}

/**
 * Families of one insurer. (NIR, birth date, rank) is unique by construction: adults and
 * older children get distinct NIRs from the NirSpace, and children on a parent's NIR have
 * birth dates at least ten months apart, except twins, who have ranks 1 and 2.
 */
class FamilyFactory {
  private readonly rng: Rng;
  private readonly nirs = new NirSpace();
  private readonly rights: RightsText;
  private readonly products: Weighted<ProductOffer>;
  private readonly conventions: Weighted<string>;
  private readonly yearStart: number;
  private readonly yearEnd: number;

  constructor(
    private readonly insurer: Insurer,
    seed: string | number,
    private readonly today: number,
  ) {
    this.rng = seededRng(`${seed}:beneficiaires:${insurer.index}`);
    this.rights = new RightsText(today);
    this.products = new Weighted(insurer.offers.map((offer) => [offer, offer.weight] as const));
    const codes = [...new Set(insurer.conventions.map((convention) => convention.code))];
    // Most contracts use the insurer's main convention.
    this.conventions = new Weighted(codes.map((code, i) => [code, i === 0 ? 85 : 15] as const));
    this.yearStart = firstDayOfYear(yearOf(today));
    this.yearEnd = lastDayOfYear(yearOf(today));
  }

  family(index: number): (readonly string[])[] {
    const contract = this.contract(index);
    const memberAge = 20 + this.rng.int(0, 30) + this.rng.int(0, 40);
    const memberSex = randomSex(this.rng);
    const member = this.adult(memberSex, memberAge, lastName(this.rng));
    const rows = [this.row(contract, member, 1, QUALITY.member)];
    const spouse = chance(this.rng, SPOUSE_SHARE) ? this.spouse(memberSex, memberAge, member.lastName) : undefined;
    if (spouse) rows.push(this.row(contract, spouse, 1, chance(this.rng, MARRIED_SHARE) ? QUALITY.spouse : QUALITY.partner));
    // Young children are on one parent's card, usually the member's.
    const carrier = spouse && chance(this.rng, 0.25) ? spouse : member;
    for (const birth of this.births(memberAge)) rows.push(...this.children(contract, birth, carrier, member.lastName));
    return rows;
  }

  private contract(index: number): Contract {
    const offer = this.products.pick(this.rng);
    const firstYear = firstDayOfYear(yearOf(this.today) - this.rng.int(0, 15));
    // Most contracts start on 1 January; none starts after the extraction date.
    const from = Math.min(this.today, chance(this.rng, 0.6) ? firstYear : firstYear + this.rng.int(0, 364));
    const to = this.contractEnd(from);
    return {
      memberNumber: this.insurer.memberNumber(index),
      offer,
      convention: this.conventions.pick(this.rng),
      from: isoDate(from),
      to: to === undefined ? '' : isoDate(to),
      rightsFrom: Math.max(from, this.yearStart),
      rightsTo: to ?? this.yearEnd,
    };
  }

  /** 2% gave notice for 31 December, 1% left during the year; the rest are open-ended. */
  private contractEnd(from: number): number | undefined {
    const draw = this.rng.int(0, 999);
    if (draw < 20) return this.yearEnd;
    if (draw < 30) return this.rng.int(Math.max(from, this.yearStart), this.today);
    return undefined;
  }

  private adult(sex: Sex, age: number, familyName: string): Person {
    const identity = ownIdentity(this.rng, this.nirs, sex, this.birthDay(age), true);
    return { identity, lastName: familyName, firstName: firstName(this.rng, sex) };
  }

  private spouse(memberSex: Sex, memberAge: number, familyName: string): Person {
    const oppositeSex: Sex = memberSex === 'male' ? 'female' : 'male';
    const sex = chance(this.rng, 0.05) ? memberSex : oppositeSex;
    const age = Math.max(18, memberAge + this.rng.int(-5, 5));
    return this.adult(sex, age, chance(this.rng, 0.6) ? familyName : lastName(this.rng));
  }

  private birthDay(ageYears: number): number {
    return this.today - Math.floor(ageYears * DAYS_PER_YEAR) - this.rng.int(0, 364);
  }

  /** Children from the oldest (25 at most, born when the member was 20 or more) to the youngest. */
  private births(memberAge: number): Birth[] {
    const count = memberAge >= 22 && memberAge <= 70 ? CHILD_COUNTS.pick(this.rng) : 0;
    const births: Birth[] = [];
    let age = this.rng.int(0, Math.floor(Math.min(OLDEST_CHILD_AGE, memberAge - 20) * DAYS_PER_YEAR));
    while (births.length < count && age >= 0) {
      births.push({ day: this.today - age, twins: false });
      age -= SIBLING_GAP_DAYS + this.rng.int(0, 4 * 365);
    }
    if (births.length > 0 && chance(this.rng, TWIN_SHARE)) {
      const twin = this.rng.int(0, births.length - 1);
      births[twin] = { day: births[twin]?.day ?? this.today, twins: true };
    }
    return births;
  }

  private children(contract: Contract, birth: Birth, carrier: Person, familyName: string): (readonly string[])[] {
    const age = (this.today - birth.day) / DAYS_PER_YEAR;
    const onParentCard = age < 12 ? chance(this.rng, 0.8) : age < OWN_NIR_AGE && chance(this.rng, 0.5);
    const ranks = birth.twins ? [1, 2] : [1];
    return ranks.map((rank) => {
      const sex = randomSex(this.rng);
      const identity = onParentCard
        ? { nir: carrier.identity.nir, birthDate: isoDate(birth.day) }
        : ownIdentity(this.rng, this.nirs, sex, birth.day, false);
      return this.row(contract, { identity, lastName: familyName, firstName: firstName(this.rng, sex) }, rank, QUALITY.child);
    });
  }

  private row(contract: Contract, person: Person, rank: number, quality: string): readonly string[] {
    const rights = this.rights.of(this.rng, contract.offer, contract.rightsFrom, contract.rightsTo);
    const { nir, birthDate } = person.identity;
    return [
      contract.memberNumber, contract.offer.product.code, contract.convention, contract.from, contract.to,
      nir, birthDate, String(rank), quality, person.lastName, person.firstName, rights,
    ];
  }
}
