import { Command } from 'commander';
import { benchLoad } from './load.js';
import { benchRights } from './rights.js';

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

await program.parseAsync(process.argv);
