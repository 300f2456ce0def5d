import { cpus, totalmem } from 'node:os';
import { simulateAndReport } from '../src/shield/simulate/index.js';

export interface ShieldBenchOptions {
  sites: number;
  days: number;
  seeds: number;
  cleanSeeds: number;
  out: string;
}

/**
 * The shield's figures (issue 5): the full population through the simulator, every attack
 * scenario on every seed, the clean figures from the first seed(s); prints the table.
 */
export async function benchShield(options: ShieldBenchOptions): Promise<void> {
  process.stdout.write(`${cpus().length} cœurs (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} Gio, Node ${process.version}\n`);
  const cpuBefore = process.cpuUsage();
  const { report, result } = await simulateAndReport(
    { sites: options.sites, days: options.days, seeds: options.seeds, seedBase: 1, cleanSeeds: options.cleanSeeds, log: (line) => process.stderr.write(`${line}\n`) },
    options.out,
  );
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(`${report.markdown}\n`);
  process.stdout.write(`Durée : ${result.wallSeconds.toFixed(0)} s (processeur ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s) ; rapport dans ${options.out}\n`);
}
