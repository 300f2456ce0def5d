import { InvalidArgumentError, type Command } from 'commander';
import { existsSync } from 'node:fs';
import {
  AccessSealer,
  applyRetention,
  AuditSigner,
  DEFAULT_VERIFY_BATCH,
  exportToWitnesses,
  LocalWitness,
  localWitnessDir,
  noteVerification,
  proveConsistency,
  proveRecord,
  readWitnessHeads,
  recentHeads,
  retentionMonthsFromEnv,
  runSequencer,
  TrustedKeys,
  verifyAccessLog,
  type RetentionReport,
  type RetentionSummary,
  type SealSummary,
  type SequencerPass,
  type SignedHead,
  type TreeHead,
  type VerifyReport,
  type WitnessChecked,
} from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { ErrorCodes } from '../../domain/errors/codes.js';
import { findAccessSealKey } from '../../vault/index.js';
import { dataHome, withStore } from '../runtime.js';
import { collect, positiveInteger } from '../options.js';

interface VerifyOptions {
  publicKey: string[];
  expect: TreeHead[];
  witness: string[];
  batch: number | undefined;
}

/**
 * `rempart audit`: the access log's sequencer run once, its verification, its public key.
 * None needs the master key: an auditor checks the log without being able to read it.
 */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description("journal d'accès infalsifiable : points de contrôle signés et vérification");
  audit
    .command('checkpoint')
    .description('séquence les accès devenus définitifs et signe un nouveau point de contrôle (ce que le serveur fait toutes les quelques secondes)')
    .action(async () => {
      const signer = AuditSigner.fromEnv(process.env, dataHome());
      const witness = localWitnessDir(process.env, dataHome());
      const pass = await withStore(async (db) => {
        const done = await runSequencer(db, signer, { wait: true });
        // As the server's loop does: the platform's own witness, outside the data, gets the new head.
        if (witness !== undefined) await new LocalWitness(witness).keep(db);
        return done;
      });
      process.stdout.write(`${describePass(pass).join('\n')}\n`);
    });
  audit
    .command('verify')
    .description(
      'relit tout le journal dans l’ordre des feuilles, recalcule chaque hachage et chaque racine, vérifie les signatures ; ' +
        'nomme la première anomalie (code de sortie 1)',
    )
    .option('--public-key <fichier>', 'clé publique de confiance (PEM), répétable ; par défaut celle de la clé de signature configurée', collect, [])
    .option('--expect <taille:racine>', 'tête d’arbre conservée hors de la base, que le journal doit contenir ; répétable', collectHead, [])
    .option('--witness <dossier>', 'dossier de témoin (rempart audit witness) : chaque tête signée qu’il garde doit être dans le journal ; répétable', collect, [])
    .option('--batch <n>', `feuilles lues par lot (${DEFAULT_VERIFY_BATCH} par défaut)`, positiveInteger)
    .action(async (options: VerifyOptions) => {
      const keys = new TrustedKeys(
        options.publicKey.length > 0
          ? options.publicKey.map((path) => TrustedKeys.readPublicKeyFile(path))
          : [AuditSigner.fromEnv(process.env, dataHome()).publicKey],
      );
      const witnesses = witnessFolders(options.witness, options.publicKey.length === 0).map((dir) => ({ dir, heads: readWitnessHeads([dir], keys) }));
      const expected = [...options.expect, ...witnesses.flatMap((witness) => witness.heads)];
      const key = findAccessSealKey(process.env, dataHome());
      const sealer = key === undefined ? undefined : new AccessSealer(key);
      const checked = witnesses.map(({ dir, heads }) => ({ dir, heads: heads.length, treeSize: Math.max(0, ...heads.map((head) => head.treeSize)) }));
      const report = await withStore(async (db) => {
        const found = await verifyAccessLog(db, keys, { batchSize: options.batch, expected, sealer });
        // Noted for the security console whatever the outcome: a failure is what it must show first.
        await noteVerification(db, found, checked);
        return found;
      });
      const output = describeVerification(report, checked);
      process.stdout.write(`${output.lines.join('\n')}\n`);
      if (!output.ok) process.exitCode = 1;
    });
  audit
    .command('witness')
    .description('remet aux témoins (un dossier chacun, par défaut un par organisme) les têtes d’arbre signées qu’ils n’ont pas encore')
    .requiredOption('--out <dossier>', 'dossier des témoins')
    .option('--name <témoin>', 'nom d’un témoin ; répétable ; par défaut le numéro AMC de chaque organisme', collect, [])
    .action(async (options: { out: string; name: string[] }) => {
      const results = await withStore(async (db) => exportToWitnesses(db, options.out, options.name.length > 0 ? options.name : await insurerNumbers(db)));
      for (const r of results) process.stdout.write(`${r.witness} : ${r.written} tête(s) remise(s), jusqu’à ${r.treeSize} feuilles\n`);
    });
  audit
    .command('prove')
    .description('preuve d’inclusion d’un accès dans un arbre signé (JSON, RFC 9162) : vérifiable sans lire le journal')
    .requiredOption('--record <id>', 'identifiant de l’accès', positiveInteger)
    .option('--size <n>', 'taille de l’arbre signé (par défaut le dernier point de contrôle)', positiveInteger)
    .action(async (options: { record: number; size?: number }) => {
      process.stdout.write(`${JSON.stringify(await withStore((db) => proveRecord(db, options.record, options.size)), null, 2)}\n`);
    });
  audit
    .command('consistency')
    .description('preuve qu’un arbre signé prolonge un arbre signé plus ancien (JSON, RFC 9162)')
    .requiredOption('--from <n>', 'taille de l’arbre ancien (une de celles que liste « rempart audit checkpoints »)', positiveInteger)
    .requiredOption('--to <n>', 'taille de l’arbre récent (idem)', positiveInteger)
    .action(async (options: { from: number; to: number }) => {
      process.stdout.write(`${JSON.stringify(await withStore((db) => proveConsistency(db, options.from, options.to)), null, 2)}\n`);
    });
  audit
    .command('checkpoints')
    .description('liste les points de contrôle signés (taille, date, clé, racine) : les tailles qu’acceptent « audit consistency » et « audit prove --size »')
    .option('--limit <n>', 'les n plus récents', positiveInteger, 20)
    .option('--from-size <n>', 'seulement ceux d’au moins n feuilles', positiveInteger)
    .option('--json', 'les têtes signées en JSON (comme dans les preuves)')
    .action(async (options: { limit: number; fromSize?: number; json?: boolean }) => {
      const listed = await withStore((db) => recentHeads(db, { limit: options.limit, fromSize: options.fromSize }));
      process.stdout.write(`${options.json ? JSON.stringify(listed.heads, null, 2) : describeHeads(listed).join('\n')}\n`);
    });
  audit
    .command('retention')
    .description(
      'purge les enregistrements des mois entiers plus anciens que la durée de conservation (REMPART_RETENTION_MONTHS, 12 par défaut) ; ' +
        'les feuilles restent, chaque mois purgé laisse une trace signée',
    )
    .option('--months <n>', 'mois entiers conservés avant le mois en cours (au moins 1)', positiveInteger)
    .option('--dry-run', 'dit ce qui serait purgé, sans rien changer')
    .action(async (options: { months?: number; dryRun?: boolean }) => {
      const months = options.months ?? retentionMonthsFromEnv(process.env);
      const signer = AuditSigner.fromEnv(process.env, dataHome());
      const report = await withStore((db) => applyRetention(db, signer, { months, dryRun: options.dryRun === true }));
      process.stdout.write(`${describeRetentionRun(report).join('\n')}\n`);
    });
  audit
    .command('public-key')
    .description('affiche la clé publique qui vérifie les points de contrôle (à remettre aux auditeurs)')
    .action(() => {
      const signer = AuditSigner.fromEnv(process.env, dataHome());
      process.stdout.write(`# key_id ${signer.keyId}\n${signer.publicKeyPem()}`);
    });
}

/**
 * The folders named, and the platform's own witness (src/audit/witness.ts localWitnessDir)
 * when it exists and the check is under the platform's own key, which signed its heads: an
 * auditor who brings their keys (--public-key) brings their witnesses (--witness).
 */
function witnessFolders(named: readonly string[], ownKey: boolean): string[] {
  const local = localWitnessDir(process.env, dataHome());
  return ownKey && local !== undefined && existsSync(local) && !named.includes(local) ? [...named, local] : [...named];
}

/** The insurers' AMC numbers: one witness each by default. */
async function insurerNumbers(db: Database): Promise<string[]> {
  const found = await db.transaction('platform', (tx) => tx.query<{ amc_number: string }>('SELECT amc_number FROM insurer ORDER BY amc_number'));
  return found.rows.map((row) => row.amc_number);
}

export function describePass(pass: SequencerPass): string[] {
  const lines =
    pass.checkpoint === undefined
      ? [`Rien de nouveau à séquencer (arbre de ${pass.treeSize} feuilles).`]
      : [
          `${pass.appended} accès séquencé(s) ; point de contrôle signé : ${pass.checkpoint.treeSize} feuilles, ` +
            `racine ${pass.checkpoint.rootHash.toString('hex')}, clé ${pass.checkpoint.keyId}`,
        ];
  if (pass.pending > 0) lines.push(`${pass.pending} accès en attente : une transaction plus ancienne est encore ouverte.`);
  if (pass.quarantined > 0) lines.push(`ATTENTION : ${pass.quarantined} accès sans sceau valide de l’application écarté(s) du journal signé, alerte levée.`);
  return lines;
}

/** The signed heads in French, oldest first, with what their sizes are for; pure, for the tests. */
export function describeHeads(listed: { heads: readonly SignedHead[]; total: number }): string[] {
  if (listed.heads.length === 0) return ['Aucun point de contrôle signé : rien à prouver encore (rempart audit checkpoint en signe un).'];
  const more = listed.heads.length < listed.total ? ` (les plus récents ; --limit ou --from-size pour les autres)` : '';
  return [
    `${listed.heads.length} point(s) de contrôle signé(s) sur ${listed.total}${more}.`,
    'Leurs tailles, et elles seules, valent pour « rempart audit consistency --from A --to B » (A ≤ B) et « rempart audit prove --size N ».',
    ...listed.heads.map(
      (head) => `  taille ${head.treeSize} : signé le ${new Date(Number(BigInt(head.createdAtMicros) / 1000n)).toISOString()}, clé ${head.keyId}, racine ${head.rootHash}`,
    ),
  ];
}

/** The French verdict, kept pure so that it can be tested without a process. */
export function describeVerification(report: VerifyReport, witnesses: readonly WitnessChecked[] = []): { ok: boolean; lines: string[] } {
  if (report.ok) {
    return {
      ok: true,
      lines: [
        `OK : journal d'accès intègre, ${report.leaves} accès séquencés, ${report.checkpoints} points de contrôle signés vérifiés.`,
        `  Racine : ${report.rootHash.toString('hex')} (taille ${report.leaves})`,
        `  Clés : ${report.keyIds.join(', ') || 'aucune'}`,
        `  En attente de séquencement : ${report.pending}`,
        ...describeSeals(report),
        ...describeRetention(report.retention),
        ...describeWitnesses(witnesses),
      ],
    };
  }
  const { problem } = report;
  const lines = [`${ErrorCodes[problem.code].message}`, `  Code : ${problem.code}`];
  if (problem.leafIndex !== undefined) lines.push(`  Feuille : ${problem.leafIndex}`);
  if (problem.recordId !== undefined) lines.push(`  Enregistrement : ${problem.recordId}`);
  if (problem.treeSize !== undefined) lines.push(`  Point de contrôle : ${problem.treeSize} feuilles`);
  lines.push(`  Motif : ${problem.detail}`);
  lines.push(`  Vérifié jusque-là : ${report.leavesChecked} feuilles, ${report.checkpointsChecked} points de contrôle`);
  return { ok: false, lines: [...lines, ...describeWitnesses(witnesses)] };
}

function describeSeals(summary: SealSummary): string[] {
  const lines =
    summary.seals === 'checked'
      ? ['  Sceaux : recalculés avec la clé de sceau, tous ceux de l’arbre sont ceux de l’application']
      : ['  Sceaux : non recalculés (clé de sceau absente : REMPART_ACCESS_SEAL_KEY_FILE) ; seule leur présence est vérifiée'];
  if (summary.quarantined > 0) {
    lines.push(`  ATTENTION : ${summary.quarantined} enregistrement(s) écrit(s) sans la clé de l’application, écartés par le séquenceur (table access_quarantine, alerte levée)`);
  }
  return lines;
}

/** Which witnesses were read, or a plain warning that none was: without one, a rewrite re-signed with a stolen key passes. */
export function describeWitnesses(witnesses: readonly WitnessChecked[]): string[] {
  if (witnesses.length === 0) {
    return [
      '  ATTENTION : aucun témoin vérifié. Sans tête d’arbre conservée hors de la base, un journal réécrit et re-signé avec la clé de signature',
      '  volée, ou tronqué, passerait cette vérification : --witness DOSSIER (rempart audit witness), --expect TAILLE:RACINE, ou REMPART_WITNESS_DIR.',
    ];
  }
  return witnesses.map((witness) => `  Témoin vérifié : ${witness.dir} (${witness.heads} tête(s), jusqu’à ${witness.treeSize} feuilles)`);
}

/** The French account of a retention run, kept pure for the tests. */
export function describeRetentionRun(report: RetentionReport): string[] {
  const lines = [`Conservation : ${report.months} mois entiers, journal gardé à partir de ${report.keptFrom}.`];
  if (report.outcomes.length === 0) lines.push('Aucun mois à purger.');
  for (const outcome of report.outcomes) {
    if (outcome.status === 'skipped') lines.push(`  ${outcome.month} : laissé (${outcome.detail})`);
    else if (outcome.status === 'dropped') lines.push(`  ${outcome.month} : purgé, ${outcome.records} accès (trace de purge signée)`);
    else lines.push(`  ${outcome.month} : serait purgé, ${outcome.records} accès`);
  }
  return lines;
}

function describeRetention(retention: RetentionSummary): string[] {
  if (retention.months === 0) return [];
  return [
    `  Purgé selon la durée de conservation : ${retention.months} mois, ${retention.records} accès (traces de purge signées vérifiées)`,
    `  Feuilles sans enregistrement (purgées) : ${retention.unchecked}, hachages non recalculables, placés sous les racines signées`,
  ];
}

function collectHead(value: string, previous: TreeHead[]): TreeHead[] {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/i.exec(value);
  if (!match?.[1] || !match[2]) throw new InvalidArgumentError('attendu TAILLE:RACINE (racine en 64 chiffres hexadécimaux)');
  return [...previous, { treeSize: Number(match[1]), rootHash: Buffer.from(match[2], 'hex') }];
}

