import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { rewrapLotSeals } from '../../invoices/lot-rewrap.js';
import { listInsurers, readMasterKeyFile, rotateDataKey, rotateMasterKey, type InsurerRef, type RotationProgress } from '../../vault/index.js';
import { initServerKeys } from '../keys-init.js';
import { withRuntime, type Runtime } from '../runtime.js';
import { positiveInteger } from '../options.js';

interface RotateOptions {
  insurer?: string;
  newMasterKeyFile?: string;
  batch: number;
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Clés : celles d’un déploiement sur serveur, rotation des clés de chiffrement des organismes');
  keys
    .command('init')
    .description('crée les trois clés d’un déploiement sur serveur PostgreSQL (maîtresse, jetons, journal d’accès) et affiche les variables à définir')
    .requiredOption('--out <dossier>', 'dossier des clés (créé en 0700 ; aucun fichier existant n’est écrasé)')
    .action(async (options: { out: string }) => {
      process.stdout.write(`${(await initServerKeys(options.out)).join('\n')}\n`);
    });
  keys
    .command('rotate')
    .description(
      'Crée une nouvelle version de la clé de chiffrement et rechiffre les identités ; avec --new-master-key-file, ' +
        'réenveloppe toutes les clés de données sous une nouvelle clé maîtresse',
    )
    .addOption(new Option('--insurer <amcNumber>', "numéro AMC de l'organisme (par défaut : tous)").conflicts('newMasterKeyFile'))
    .option('--new-master-key-file <path>', 'fichier de la nouvelle clé maîtresse (32 octets en base64)')
    .option('--batch <n>', 'identités rechiffrées par transaction', positiveInteger, 1000)
    .action((options: RotateOptions) =>
      withRuntime((runtime) =>
        options.newMasterKeyFile === undefined ? rotateDataKeys(runtime, options) : rotateMaster(runtime, options.newMasterKeyFile),
      ),
    );
}

async function rotateDataKeys(runtime: Runtime, options: RotateOptions): Promise<void> {
  const insurers = await listInsurers(runtime.db, options.insurer);
  if (options.insurer !== undefined && insurers.length === 0) {
    process.stderr.write(`Organisme complémentaire inconnu : ${options.insurer}\n`);
    process.exitCode = 1;
    return;
  }
  for (const insurer of insurers) {
    const done = await rotateDataKey(runtime.db, runtime.vault, insurer.id, {
      batchSize: options.batch,
      onProgress: showProgress(insurer),
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
    const locked = done.remaining > 0 ? ` ; ${done.remaining} verrouillées restent sous l'ancienne clé, relancer la commande` : '';
    process.stdout.write(`Organisme ${insurer.amcNumber} : clé v${done.version}, ${done.reencrypted} identités rechiffrées${locked}\n`);
  }
}

function showProgress(insurer: InsurerRef): (progress: RotationProgress) => void {
  return ({ reencrypted, total }) => {
    if (process.stderr.isTTY) process.stderr.write(`\rOrganisme ${insurer.amcNumber} : ${reencrypted}/${total} identités rechiffrées`);
  };
}

async function rotateMaster(runtime: Runtime, path: string): Promise<void> {
  const next = readMasterKeyFile(path);
  const done = await rotateMasterKey(runtime.db, runtime.masterKey, next);
  const lots = await rewrapLotSeals(runtime.db, runtime.masterKey, next);
  const unreadable = lots.unreadable > 0 ? `, ${lots.unreadable} illisibles sous l'une et l'autre clé, laissés tels quels` : '';
  process.stdout.write(
    [
      `${done.rewrapped} clés de données réenveloppées sous la clé maîtresse ${next.id} ` +
        `(${done.insurers} organismes, ${done.keys - done.rewrapped} déjà à jour).`,
      `Lots de factures : ${lots.rewrapped} scellés réenveloppés sur ${lots.sealed}${unreadable}.`,
      `Faites maintenant pointer REMPART_MASTER_KEY_FILE vers ${resolve(path)} sur toutes les instances ` +
        '(et retirez REMPART_MASTER_KEY s’il est défini), puis redémarrez-les.',
      `Conservez l’ancienne clé ${runtime.masterKey.id} jusque-là : une instance pas encore basculée peut créer des clés ` +
        'sous elle ; relancer cette commande avec l’ancienne clé les réenveloppe.',
    ].join('\n') + '\n',
  );
}

