import { today } from '../src/clock.js';
import { median } from '../src/shield/statistics.js';
import { measureHttp, rps, serverPlace } from './rights.js';
import { describeShield, lenientThresholdsFile } from './shield-settings.js';
import { machine, table } from './support.js';
import { describeFailures, ratioVerdict, reliable, Tally, type Measured } from './verdict.js';

export interface ShieldCostOptions {
  rows: number;
  seconds: number;
  connections: number;
  rounds: number;
  pharmacies: number;
}

/**
 * The shield's cost on the rights check: the same platform, the same database and the
 * same workload, with the shield off and on, for one instance (counters in process) and
 * for instances sharing Redis; rounds alternate their order so that a drift of the machine
 * weighs on every variant alike.
 * The bench's 16 pharmacies check hundreds of patients a second each: with the default
 * thresholds the shield would (rightly) stop them within a second, so it runs with
 * thresholds no traffic reaches — every signal is still counted and assessed on every
 * request, which is the cost being measured.
 */
export async function benchShieldCost(options: ShieldCostOptions): Promise<void> {
  const careDate = today();
  const description = await machine();
  const { dir, env, cards, provenance } = await serverPlace(options.rows, careDate);
  const thresholds = lenientThresholdsFile(dir);
  const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  // Each variant with the shield on is compared with the same deployment with it off: one
  // instance (everything in process), or several sharing Redis (where the DPoP replay
  // guard lives in Redis too, shield or not).
  const variants: { name: string; env: NodeJS.ProcessEnv; against: string }[] = [
    { name: 'une instance, bouclier coupé', env: { REMPART_SHIELD: 'off', REDIS_URL: '' }, against: 'une instance, bouclier coupé' },
    { name: 'une instance, bouclier actif (compteurs en mémoire)', env: { REMPART_SHIELD_THRESHOLDS: thresholds, REDIS_URL: '' }, against: 'une instance, bouclier coupé' },
    { name: 'partagé par Redis, bouclier coupé', env: { REMPART_SHIELD: 'off', REDIS_URL: redis }, against: 'partagé par Redis, bouclier coupé' },
    { name: 'partagé par Redis, bouclier actif (compteurs Redis)', env: { REMPART_SHIELD_THRESHOLDS: thresholds, REDIS_URL: redis }, against: 'partagé par Redis, bouclier coupé' },
  ];
  const rates = new Map<string, number[]>(variants.map(({ name }) => [name, []]));
  const tallies = new Map<string, Tally[]>(variants.map(({ name }) => [name, []]));
  let spread = '';
  for (let round = 0; round < options.rounds; round++) {
    // Each round in the other order (ABBA): a machine or a database that slows over the run
    // would otherwise always weigh on the variant measured last (the shield's).
    for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
      const namespace = { REMPART_SHIELD: '', REMPART_SHIELD_THRESHOLDS: '', REMPART_SHIELD_NAMESPACE: `rempart-bench:${Date.now()}` };
      const figures = await measureHttp({ ...env, ...namespace, ...variant.env }, cards, options, careDate, true);
      rates.get(variant.name)?.push(rps(figures.max));
      tallies.get(variant.name)?.push(figures.max.tally);
      spread = `${figures.pharmacies} pharmacies (un logiciel et une clé DPoP chacune), ${figures.accounts} pharmaciens exerçant aujourd’hui, à tour de rôle`;
    }
  }
  const measuredOf = (name: string): Measured => ({ name, tally: Tally.merge(tallies.get(name) ?? []) });
  const medianOf = (name: string): number => median(rates.get(name) ?? []);
  const ratioCell = (name: string, against: string): string =>
    reliable(measuredOf(name).tally) && reliable(measuredOf(against).tally) ? (medianOf(name) / medianOf(against)).toFixed(2).replace('.', ',') : 'non calculé';
  const rows = [
    ['variante', ...Array.from({ length: options.rounds }, (_, i) => `tour ${i + 1} (réussies/s)`), 'médiane', 'échecs', 'rapport / même déploiement coupé'],
    ...variants.map(({ name, against }) => [name, ...(rates.get(name) ?? []), medianOf(name), measuredOf(name).tally.failed, ratioCell(name, against)]),
  ];
  const verdicts = variants
    .filter(({ name, against }) => name !== against)
    .flatMap(({ name, against }) => ratioVerdict(`Rapport « ${name} » / « ${against} »`, medianOf(name) / medianOf(against), 0.9, [measuredOf(name), measuredOf(against)]));
  const failures = variants.map(({ name }) => measuredOf(name)).filter((m) => m.tally.failed > 0);
  process.stdout.write(
    [
      '',
      `## Coût du bouclier sur l’IDB (débit maximal, ${options.connections} appelants, ${options.rows} bénéficiaires, serveur PostgreSQL)`,
      '',
      `Machine : ${description}`,
      `Date des soins : ${careDate} (aujourd’hui) ; ${provenance}`,
      `Bouclier, quand il est actif : ${describeShield('lenient')}`,
      `Comptes : ${spread}`,
      '',
      table(rows),
      '',
      ...failures.map((m) => `Échecs, ${m.name} : ${describeFailures(m.tally)}`),
      ...verdicts,
      '',
    ].join('\n'),
  );
}
