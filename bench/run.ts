import { Command } from 'commander';
import { benchCamt } from './camt.js';
import { benchIncidents } from './incidents.js';
import { BENCH_DATABASE } from './incidents-setup.js';
import { benchInvoices } from './invoices.js';
import { benchLoad } from './load.js';
import { benchPayments } from './payments.js';
import { benchPriorAgreements } from './prior-agreements.js';
import { benchRights } from './rights.js';
import { benchShield } from './shield.js';
import { benchShieldCost } from './shield-cost.js';
import { parseShieldSetting, type ShieldSetting } from './shield-settings.js';

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

/** A bench over HTTP against pgbench on the same SQL: its population, the length of each measure, its callers, the shield. */
function httpBench(name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .option('--rows <n>', 'bénéficiaires sur le serveur', '1000000')
    .option('--seconds <n>', 'durée de chaque mesure', '20')
    .option('--connections <n>', 'appelants simultanés', '32')
    .option('--shield <réglage>', 'bouclier : lenient (actif, seuils hors d’atteinte), default (seuils du serveur) ou off', parseShieldSetting, 'lenient');
}

interface HttpBenchOptions {
  rows: string;
  seconds: string;
  connections: string;
  shield: ShieldSetting;
}

const httpOptions = (options: HttpBenchOptions): { rows: number; seconds: number; connections: number; shield: ShieldSetting } => ({
  rows: Number(options.rows),
  seconds: Number(options.seconds),
  connections: Number(options.connections),
  shield: options.shield,
});

httpBench('rights', 'identification des droits : débit HTTP vs pgbench (même SQL), latences à mi-charge, PGlite')
  .option('--pglite-rows <n>', 'bénéficiaires pour PGlite', '200000')
  .option('--pharmacies <n>', 'pharmacies appelantes au plus (chacune son logiciel ; la charge passe par tous leurs pharmaciens)', '1000')
  .action(async (options: HttpBenchOptions & { pgliteRows: string; pharmacies: string }) => {
    await benchRights({ ...httpOptions(options), pgliteRows: Number(options.pgliteRows), pharmacies: Number(options.pharmacies) });
  });

httpBench('prior-agreements', 'accords préalables (PEC) : débit HTTP vs pgbench (mêmes fonctions SQL, une transaction), latences à mi-charge')
  .option('--opticians <n>', 'magasins d’optique appelants au plus (chacun son logiciel ; la charge passe par tous leurs opticiens)', '1000')
  .action(async (options: HttpBenchOptions & { opticians: string }) => {
    await benchPriorAgreements({ ...httpOptions(options), opticians: Number(options.opticians) });
  });

httpBench('invoices', 'factures (DRE) : factures décidées/s en lots HTTP vs pgbench (mêmes fonctions SQL, une transaction), journée d’un opérateur extrapolée, mémoire selon la taille du lot')
  .option('--opticians <n>', 'magasins d’optique appelants au plus (chacun son logiciel ; la charge passe par tous leurs opticiens)', '1000')
  .option('--lot-size <n>', 'factures par lot de la mesure de débit (100 au plus)', '50')
  .action(async (options: HttpBenchOptions & { opticians: string; lotSize: string }) => {
    await benchInvoices({ ...httpOptions(options), opticians: Number(options.opticians), lotSize: Number(options.lotSize) });
  });

program
  .command('payments')
  .description('paiements : un jour d’opérateur payé par `rempart payments run` (temps, RSS max à trois tailles, taille et validation XSD du pain.001)')
  .option('--invoices <n>', 'factures acceptées du plus gros paiement (les deux autres en paient le quart et la moitié)', '800000')
  .option('--payees <n>', 'comptes bénéficiaires (pharmacies au compte confirmé)', '20000')
  .option('--store <base>', 'server (DATABASE_URL, base jetable) ou pglite', 'server')
  .action(async (options: { invoices: string; payees: string; store: string }) => {
    if (options.store !== 'server' && options.store !== 'pglite') throw new Error('--store server|pglite');
    await benchPayments({ invoices: Number(options.invoices), payees: Number(options.payees), store: options.store });
  });

program
  .command('shield-cost')
  .description('coût du bouclier : débit IDB bouclier coupé puis actif, une instance et instances partageant Redis (même base, même charge)')
  .option('--rows <n>', 'bénéficiaires sur le serveur', '1000000')
  .option('--seconds <n>', 'durée de chaque mesure', '15')
  .option('--connections <n>', 'appelants simultanés', '32')
  .option('--rounds <n>', 'tours alternés', '3')
  .option('--pharmacies <n>', 'pharmacies appelantes au plus (chacune son logiciel ; la charge passe par tous leurs pharmaciens)', '1000')
  .action(async (options: { rows: string; seconds: string; connections: string; rounds: string; pharmacies: string }) => {
    await benchShieldCost({
      rows: Number(options.rows),
      seconds: Number(options.seconds),
      connections: Number(options.connections),
      rounds: Number(options.rounds),
      pharmacies: Number(options.pharmacies),
    });
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

program
  .command('incidents')
  .description('incidents : ensemble exposé (1 et 50 comptes), fichiers adhérents d’un incident de 1 M de personnes, audit verify de 10 M, taille des preuves (serveur)')
  .option('--records <n>', 'enregistrements du journal (12 mois)', '100000000')
  .option('--beneficiaries <n>', 'bénéficiaires', '10000000')
  .option('--fresh', 'reconstruire la base même si elle a déjà la bonne taille', false)
  .option('--leaves <how>', 'direct (feuilles écrites par le banc) ou sequencer (runSequencer du projet)', 'direct')
  .option('--batch <n>', 'enregistrements par transaction', '100000')
  .option('--checkpoint-every <n>', 'feuilles entre deux points de contrôle signés', '1000000')
  .option('--database <name>', 'base du serveur', BENCH_DATABASE)
  .option('--runs <n>', 'répétitions des mesures d’ensemble exposé', '5')
  .option('--verify-leaves <n>', 'feuilles vérifiées par audit verify', '10000000')
  .option('--exposed <n>', 'personnes exposées visées pour l’incident large', '1000000')
  .option('--out <dir>', 'dossier du rapport', 'bench/results')
  .option('--generate-only', 'construire (ou réutiliser) la base, sans mesurer', false)
  .action(
    async (options: { generateOnly: boolean; records: string; beneficiaries: string; fresh: boolean; leaves: string; batch: string; checkpointEvery: string; database: string; runs: string; verifyLeaves: string; exposed: string; out: string }) => {
      if (options.leaves !== 'direct' && options.leaves !== 'sequencer') throw new Error('--leaves direct|sequencer');
      await benchIncidents({
        records: Number(options.records),
        beneficiaries: Number(options.beneficiaries),
        fresh: options.fresh,
        leaves: options.leaves,
        batch: Number(options.batch),
        checkpointEvery: Number(options.checkpointEvery),
        database: options.database,
        runs: Number(options.runs),
        verifyLeaves: Number(options.verifyLeaves),
        exposed: Number(options.exposed),
        out: options.out,
        generateOnly: options.generateOnly,
      });
    },
  );

program
  .command('camt')
  .description('rapprochement bancaire : un camt.054 de 20 000 virements importé sur le serveur (objectif ≤ 30 s)')
  .option('--entries <n>', 'opérations du fichier', '20000')
  .option('--return-every <n>', 'un virement sur n revient rejeté', '100')
  .action(async (options: { entries: string; returnEvery: string }) => {
    await benchCamt({ entries: Number(options.entries), returnEvery: Number(options.returnEvery) });
  });

await program.parseAsync(process.argv);
