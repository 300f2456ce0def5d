import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../src/shield/statistics.js';
import { lenientThresholds } from '../src/shield/test-support/shield.js';
import { measureHttp, rps, serverPlace } from './rights.js';
import { machine, table } from './support.js';

export interface ShieldCostOptions {
  rows: number;
  seconds: number;
  connections: number;
  rounds: number;
}

/**
 * The shield's cost on the rights check: the same platform, the same database and the
 * same workload, with the shield off and on, for one instance (counters in process) and
 * for instances sharing Redis; rounds alternate so that a drift of the machine weighs on
 * every variant alike.
 * The bench's 16 pharmacies check hundreds of patients a second each: with the default
 * thresholds the shield would (rightly) stop them within a second, so it runs with
 * thresholds no traffic reaches — every signal is still counted and assessed on every
 * request, which is the cost being measured.
 */
export async function benchShieldCost(options: ShieldCostOptions): Promise<void> {
  const description = await machine();
  const { dir, env, cards } = await serverPlace(options.rows);
  const thresholds = join(dir, 'shield-lenient.json');
  writeFileSync(thresholds, JSON.stringify(lenientThresholds));
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
  for (let round = 0; round < options.rounds; round++) {
    for (const variant of variants) {
      const namespace = { REMPART_SHIELD_NAMESPACE: `rempart-bench:${Date.now()}` };
      const figures = await measureHttp({ ...env, ...variant.env, ...namespace }, cards, options, true);
      rates.get(variant.name)?.push(rps(figures.max));
    }
  }
  const medianOf = (name: string): number => median(rates.get(name) ?? []);
  const rows = [
    ['variante', ...Array.from({ length: options.rounds }, (_, i) => `tour ${i + 1} (req/s)`), 'médiane', 'rapport / même déploiement coupé'],
    ...variants.map(({ name, against }) => [name, ...(rates.get(name) ?? []), medianOf(name), (medianOf(name) / medianOf(against)).toFixed(2)]),
  ];
  process.stdout.write(`\n## Coût du bouclier sur l’IDB (débit maximal, ${options.connections} appelants, ${options.rows} bénéficiaires, serveur PostgreSQL)\n\nMachine : ${description}\n\n${table(rows)}\n\nObjectif : rapport ≥ 0,9.\n`);
}
