import { Command } from 'commander';
import { benchLoad } from './load.js';
import { benchRights } from './rights.js';
import { benchShield } from './shield.js';
import { benchShieldCost } from './shield-cost.js';

/** `npm run bench -- <benchmark> [options]`: every figure an issue asks for. */
const program = new Command('bench').description('Rempart benchmarks (figures, not tests)');

program
  .command('load')
  .description('chargement des bénéficiaires : débit vs COPY brut, mémoire, PGlite')
  .option('--rows <n>', 'lignes du gros fichier (serveur)', '5000000')
  .option('--small-rows <n>', 'lignes du petit fichier (mémoire indépendante de la taille)', '500000')
  .option('--pglite-rows <n>', 'lignes pour PGlite', '1000000')
  .action(async (options: { rows: string; smallRows: string; pgliteRows: string }) => {
    await benchLoad({ rows: Number(options.rows), smallRows: Number(options.smallRows), pgliteRows: Number(options.pgliteRows) });
  });

program
  .command('rights')
  .description('identification des droits : débit HTTP vs pgbench (même SQL), latences à mi-charge, PGlite')
  .option('--rows <n>', 'bénéficiaires sur le serveur', '1000000')
  .option('--pglite-rows <n>', 'bénéficiaires pour PGlite', '200000')
  .option('--seconds <n>', 'durée de chaque mesure', '20')
  .option('--connections <n>', 'appelants simultanés', '32')
  .action(async (options: { rows: string; pgliteRows: string; seconds: string; connections: string }) => {
    await benchRights({ rows: Number(options.rows), pgliteRows: Number(options.pgliteRows), seconds: Number(options.seconds), connections: Number(options.connections) });
  });

program
  .command('shield-cost')
  .description('coût du bouclier : débit IDB bouclier coupé puis actif, une instance et instances partageant Redis (même base, même charge)')
  .option('--rows <n>', 'bénéficiaires sur le serveur', '1000000')
  .option('--seconds <n>', 'durée de chaque mesure', '15')
  .option('--connections <n>', 'appelants simultanés', '32')
  .option('--rounds <n>', 'tours alternés', '3')
  .action(async (options: { rows: string; seconds: string; connections: string; rounds: string }) => {
    await benchShieldCost({ rows: Number(options.rows), seconds: Number(options.seconds), connections: Number(options.connections), rounds: Number(options.rounds) });
  });

program
  .command('shield')
  .description('bouclier : population simulée, six attaques sur plusieurs graines, chiffres du trafic propre (rapport .md, .svg, .json)')
  .option('--sites <n>', 'sites simulés', '2000')
  .option('--days <n>', 'jours mesurés après 28 jours d’apprentissage', '30')
  .option('--seeds <n>', 'graines', '5')
  .option('--clean-seeds <n>', 'graines dont le trafic propre passe par le bouclier', '1')
  .option('--out <dir>', 'dossier du rapport', 'bench/results/shield')
  .action(async (options: { sites: string; days: string; seeds: string; cleanSeeds: string; out: string }) => {
    await benchShield({ sites: Number(options.sites), days: Number(options.days), seeds: Number(options.seeds), cleanSeeds: Number(options.cleanSeeds), out: options.out });
  });

await program.parseAsync(process.argv);
