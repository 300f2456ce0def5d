import { Command } from 'commander';
import { benchLoad } from './load.js';

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

await program.parseAsync(process.argv);
