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
 * same workload, with the shield off, on with in-process counters, and on with Redis;
 * rounds alternate so that a drift of the machine weighs on every variant alike.
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
  const variants: [string, NodeJS.ProcessEnv][] = [
    ['bouclier coupé', { REMPART_SHIELD: 'off' }],
    ['bouclier actif, compteurs en mémoire', { REMPART_SHIELD_THRESHOLDS: thresholds, REDIS_URL: '' }],
    ['bouclier actif, compteurs Redis', { REMPART_SHIELD_THRESHOLDS: thresholds, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }],
  ];
  const rates = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, variantEnv] of variants) {
      const namespace = { REMPART_SHIELD_NAMESPACE: `rempart-bench:${Date.now()}` };
      const figures = await measureHttp({ ...env, ...variantEnv, ...namespace }, cards, options, true);
      rates.get(name)?.push(rps(figures.max));
    }
  }
  const off = median(rates.get('bouclier coupé') ?? []);
  const rows = [
    ['variante', ...Array.from({ length: options.rounds }, (_, i) => `tour ${i + 1} (req/s)`), 'médiane', 'rapport / coupé'],
    ...[...rates].map(([name, values]) => [name, ...values, median(values), (median(values) / off).toFixed(2)]),
  ];
  process.stdout.write(`\n## Coût du bouclier sur l’IDB (débit maximal, ${options.connections} appelants, ${options.rows} bénéficiaires, serveur PostgreSQL)\n\nMachine : ${description}\n\n${table(rows)}\n\nObjectif : rapport ≥ 0,9.\n`);
}
