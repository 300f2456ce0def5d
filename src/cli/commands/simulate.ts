import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { thresholdsFrom } from '../../shield/config.js';
import { scenarioLetters, scenarios, simulateAndReport, type ScenarioId } from '../../shield/simulate/index.js';
import { positiveInteger } from '../options.js';

interface SimulateCliOptions {
  sites: number;
  days: number;
  seeds: number;
  seedBase: number;
  cleanSeeds: number | undefined;
  parallel: number | undefined;
  scenarios: ScenarioId[];
  thresholds: string | undefined;
  out: string;
}

/**
 * `rempart simulate`: a synthetic population (sites of every profession, their daily and
 * weekly shapes, an epidemic week, mergers, new sites) and six attacks, driven through the
 * shield the server runs, on a simulated clock. Writes report.md, report.svg, report.json.
 */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('simule une population de sites et six attaques contre le bouclier ; écrit report.md, report.svg et report.json')
    .option('--sites <n>', 'sites simulés (≥ 50)', atLeast(50), 2000)
    .option('--days <n>', 'jours mesurés après 28 jours d’apprentissage (≥ 14)', atLeast(14), 30)
    .option('--seeds <n>', 'graines (chaque scénario est rejoué sur chacune)', positiveInteger, 5)
    .option('--seed-base <n>', 'première graine', nonNegativeInt, 1)
    .option('--clean-seeds <n>', 'graines dont le trafic propre passe par le bouclier (chiffres sans attaque) ; par défaut toutes', positiveInteger)
    .option('--parallel <n>', 'graines simulées en même temps (fils d’exécution)', positiveInteger)
    .option('--scenarios <lettres>', `scénarios à jouer, parmi ${scenarioLetters}`, parseScenarios, scenarios.map((s) => s.id))
    .option('--thresholds <fichier>', 'seuils du bouclier à essayer (JSON, comme REMPART_SHIELD_THRESHOLDS)')
    .option('--out <dossier>', 'dossier du rapport', 'bench/results/shield')
    .action(async (options: SimulateCliOptions) => {
      const thresholdsFile = options.thresholds ?? process.env.REMPART_SHIELD_THRESHOLDS;
      const { report, result } = await simulateAndReport(
        {
          sites: options.sites,
          days: options.days,
          seeds: options.seeds,
          seedBase: options.seedBase,
          cleanSeeds: options.cleanSeeds,
          parallel: options.parallel,
          scenarios: options.scenarios,
          thresholds: thresholdsFile ? thresholdsFrom(readFileSync(thresholdsFile, 'utf8')) : undefined,
          log: (line) => process.stderr.write(`${line}\n`),
        },
        options.out,
      );
      process.stdout.write(`${report.markdown}\nRapport écrit dans ${options.out} (${result.wallSeconds.toFixed(0)} s).\n`);
    });
}

/** The population needs that many: an epidemic week, mergers, attacks on their own days. */
function atLeast(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`entier ≥ ${min} attendu`);
    return n;
  };
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('entier positif ou nul attendu');
  return n;
}

function parseScenarios(value: string): ScenarioId[] {
  const known = scenarios.map((s) => s.id as string);
  const chosen = [...new Set(value.split(''))];
  if (chosen.length === 0 || chosen.some((c) => !known.includes(c))) throw new InvalidArgumentError(`lettres parmi ${scenarioLetters} attendues`);
  return chosen as ScenarioId[];
}
