import { chance, seededRng } from '../domain/random.js';
import type { Rng } from '../domain/random.js';
import { isoDate, toDay } from '../fiction/calendar.js';
import { DirectoryNumbers } from './directory-numbers.js';
import { firstName, lastName, randomSex } from '../fiction/names.js';
import { founderRole, JOIN_SHARE, joinerRole, PRACTICE_MIX, poolKey, SITE_IDENTIFIERS, siteName } from './practices.js';
import type { Practice, Role, SiteKind } from './practices.js';
import { SITE_DEPARTMENTS } from './places.js';

/** The directory's columns, in the order of docs/formats.md. */
export const PROFESSIONAL_COLUMNS = [
  'rpps', 'nom', 'prenom', 'profession', 'specialite', 'finess', 'siret', 'raison_sociale', 'type_structure',
  'departement', 'numero_am', 'role', 'debut', 'fin',
] as const;

interface Site {
  readonly finess: string;
  readonly siret: string;
  readonly name: string;
  readonly kind: SiteKind;
  readonly department: string;
}

interface Professional {
  readonly rpps: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly practice: Practice;
}

const SECOND_SITE_SHARE = 0.08;
const ENDED_SHARE = 0.05;
/** Among ended activities, those that ended yesterday: access must close from today. */
const ENDED_YESTERDAY_SHARE = 0.4;
const FIRST_START = toDay('1985-01-01');
/** Recent sites kept per pool for others to join: enough variety, memory bounded. */
const POOL_SIZE = 32;

/** One line per activity: `count` professionals, some with a second site. */
export function* professionalRows(seed: string | number, count: number, extractionDate: string): Generator<readonly string[]> {
  const directory = new DirectoryFactory(seed, toDay(extractionDate));
  for (let i = 0; i < count; i += 1) yield* directory.professional();
}

class DirectoryFactory {
  private readonly rng: Rng;
  private readonly numbers: DirectoryNumbers;
  private readonly pools = new Map<string, Site[]>();

  constructor(
    seed: string | number,
    private readonly today: number,
  ) {
    this.rng = seededRng(`${seed}:professionnels`);
    this.numbers = new DirectoryNumbers(this.rng);
  }

  professional(): (readonly string[])[] {
    const practice = PRACTICE_MIX.pick(this.rng);
    const sex = randomSex(this.rng);
    const person = { rpps: this.numbers.rpps(), lastName: lastName(this.rng), firstName: firstName(this.rng, sex), practice };
    const first = this.activity(person, undefined);
    return chance(this.rng, SECOND_SITE_SHARE) ? [first.row, this.activity(person, first.site).row] : [first.row];
  }

  /** An activity at a site the professional joins or founds (never `besides`, their other site). */
  private activity(person: Professional, besides: Site | undefined): { site: Site; row: readonly string[] } {
    const kind = person.practice.sites.pick(this.rng);
    const pool = this.pool(poolKey(kind, person.practice));
    const joined = pool.length > 0 && chance(this.rng, JOIN_SHARE[kind]) ? pool[this.rng.int(0, pool.length - 1)] : undefined;
    if (joined && joined !== besides) return { site: joined, row: this.row(person, joined, joinerRole(this.rng, kind)) };
    const site = this.found(kind, person);
    pool[pool.length < POOL_SIZE ? pool.length : this.rng.int(0, POOL_SIZE - 1)] = site;
    return { site, row: this.row(person, site, founderRole(kind)) };
  }

  private pool(key: string): Site[] {
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = []));
    return pool;
  }

  private found(kind: SiteKind, founder: Professional): Site {
    const department = SITE_DEPARTMENTS.pick(this.rng);
    const identifiers = SITE_IDENTIFIERS[kind];
    return {
      finess: identifiers.finess ? this.numbers.finess(department) : '',
      siret: identifiers.siret ? this.numbers.siret(this.rng) : '',
      name: siteName(this.rng, kind, founder.practice, founder.lastName),
      kind,
      department,
    };
  }

  private row(person: Professional, site: Site, role: Role): readonly string[] {
    const start = this.rng.int(FIRST_START, this.today - 30);
    const end = chance(this.rng, ENDED_SHARE) ? this.endOf(start) : undefined;
    // Owners and partners bill under their own AM number; employees and locums do not.
    const amNumber = role === 'titulaire' || role === 'associe' ? this.numbers.amNumber(site.department) : '';
    const { practice } = person;
    return [
      person.rpps, person.lastName, person.firstName, practice.profession, practice.specialty, site.finess, site.siret,
      site.name, site.kind, site.department, amNumber, role, isoDate(start), end === undefined ? '' : isoDate(end),
    ];
  }

  private endOf(start: number): number {
    return chance(this.rng, ENDED_YESTERDAY_SHARE) ? this.today - 1 : this.rng.int(start, this.today - 2);
  }
}
