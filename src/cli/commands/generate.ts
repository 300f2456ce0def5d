import { Presets, SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { parseCalendarDate } from '../../domain/dates.js';
import { generateDataset } from '../../synthetic/dataset.js';
import type { Syntax } from '../../synthetic/layouts.js';
import { summarizeManifest } from '../../synthetic/summary.js';

const french = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

interface GenerateOptions {
  seed: string;
  insurers: number;
  beneficiaries: number;
  professionals: number;
  format: Syntax;
  date?: string;
  out: string;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('Génère un jeu de données synthétique : catalogues, bénéficiaires et annuaire des professionnels')
    .requiredOption('--seed <graine>', 'la même graine redonne les mêmes fichiers, octet pour octet')
    .option('--insurers <n>', "nombre d'organismes complémentaires", count(1), 3)
    .option('--beneficiaries <n>', 'nombre total de bénéficiaires, répartis inégalement entre organismes', count(0), 10_000)
    .option('--professionals <n>', 'nombre de professionnels de santé', count(0), 2_000)
    .addOption(new Option('--format <format>', 'format des bénéficiaires et des professionnels').choices(['csv', 'jsonl']).default('csv'))
    .option('--date <AAAA-MM-JJ>', "date d'extraction (par défaut aujourd'hui, UTC)", calendarDate)
    .option('--out <dossier>', 'dossier de sortie', 'data/generated')
    .action(async (options: GenerateOptions) => {
      const started = performance.now();
      const progress = new SingleBar({ format: 'Bénéficiaires {bar} {percentage} % | {value}/{total}', stream: process.stderr }, Presets.shades_classic);
      progress.start(options.beneficiaries, 0);
      const manifest = await generateDataset({
        seed: options.seed,
        insurers: options.insurers,
        beneficiaries: options.beneficiaries,
        professionals: options.professionals,
        format: options.format,
        date: options.date,
        outDir: options.out,
        onProgress: (written) => progress.update(written),
      }).finally(() => progress.stop());
      const seconds = (performance.now() - started) / 1000;
      const rate = Math.round(options.beneficiaries / Math.max(seconds, 0.001));
      const duration = `Durée : ${french.format(seconds)} s (${french.format(rate)} lignes de bénéficiaires par seconde).`;
      const lines = [...summarizeManifest(manifest, options.out), duration];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function count(minimum: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < minimum) {
      throw new InvalidArgumentError(`un nombre entier supérieur ou égal à ${minimum} est attendu.`);
    }
    return parsed;
  };
}

function calendarDate(value: string): string {
  const parsed = parseCalendarDate(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.error.reason);
  return parsed.value;
}
