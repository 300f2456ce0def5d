import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { CalendarDate } from '../../domain/dates.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { populatedPlatform, type CardHolder, type PlatformOptions, type Practitioner } from '../../rights/test-support/population.js';
import { rightsCover } from '../../synthetic/read-back.js';
import { engage, setGuarantee, type Engaged } from './engaged.js';

/** The cast of the prior agreement and invoice tests: a platform, the holders it covers for optics, an optician, and a professional of another site. */
export interface OpticsCast {
  t: TestDatabase;
  app: FastifyInstance;
  holders: CardHolder[];
  optician: Practitioner;
  elsewhere: Practitioner;
}

export async function opticsCast(server: PlatformOptions = {}): Promise<OpticsCast> {
  const t = await createTestDatabase();
  const platform = await populatedPlatform(t.db, server);
  const { population } = platform;
  const optician = population.practitioners.find((p) => p.profession === '28') as Practitioner;
  return {
    t,
    app: platform.app,
    holders: population.holders.filter((h) => rightsCover(h.droits, 'OPTI')),
    optician,
    elsewhere: population.practitioners.find((p) => p.structure !== optician.structure && ['28', '10', '21'].includes(p.profession)) as Practitioner,
  };
}

/** The cast of a describe block: made before its tests, closed and dropped after them; read it from a test or a hook. */
export function withOpticsCast(server: PlatformOptions = {}): () => OpticsCast {
  let cast: OpticsCast | undefined;
  beforeAll(async () => {
    cast = await opticsCast(server);
  });
  afterAll(async () => {
    await cast?.app.close();
    await cast?.t.drop();
  });
  return () => {
    if (!cast) throw new Error('distribution pas encore prête');
    return cast;
  };
}

/** The optician's engagement for the holder on the day, their optics guarantee at actual cost within a 24-month ceiling of this amount, glasses renewed every 24 months. */
export async function opticsEngaged(cast: Pick<OpticsCast, 't' | 'app' | 'optician'>, holder: CardHolder, ceilingCents: number, day: CalendarDate): Promise<Engaged> {
  const e = await engage(cast.t, cast.app, cast.optician, holder, 'OPTI', day);
  await setGuarantee(cast.t, e, 'OPTI', `annual_ceiling_cents = ${ceilingCents}, ceiling_period_months = 24, ceiling_scope = 'beneficiary', renewal_months = 24`);
  return e;
}

/** Each test its own beneficiary: the next holder covered for optics, and engagements for them as opticsEngaged gives. */
export function opticsHolders(cast: () => OpticsCast, ceilingCents: number, day: CalendarDate): {
  nextHolder: () => CardHolder;
  engagedFor: (holder: CardHolder) => Promise<Engaged>;
  engaged: () => Promise<Engaged>;
} {
  let next = 0;
  const nextHolder = (): CardHolder => {
    const holder = cast().holders[next];
    next += 1;
    if (!holder) throw new Error('plus d’assuré couvert en optique');
    return holder;
  };
  const engagedFor = (holder: CardHolder): Promise<Engaged> => opticsEngaged(cast(), holder, ceilingCents, day);
  return { nextHolder, engagedFor, engaged: () => engagedFor(nextHolder()) };
}
