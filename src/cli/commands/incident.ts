import { InvalidArgumentError, type Command } from 'commander';
import { AuditSigner, runSequencer } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import { openIncident, openIncidentFromAlert, scopeFromDirectory } from '../../incidents/incidents.js';
import { approveMemberExport, requestMemberExport, type ExportApprovals, type Officer } from '../../incidents/member-export.js';
import { DEFAULT_DPO_CONTACT, DEFAULT_NATURE, noticeContext } from '../../incidents/notice-defaults.js';
import { freezeSnapshot, type Snapshot } from '../../incidents/snapshot.js';
import { incidentView } from '../../incidents/view.js';
import { scenarioLetters, scenarios, type ScenarioId } from '../../shield/simulate/index.js';
import { dataHome, withRuntime, withStore } from '../runtime.js';
import { collect, positiveInteger } from '../options.js';

interface OpenOptions {
  title?: string;
  alert?: number;
  rpps: string[];
  finess: string[];
  siret: string[];
  client: string[];
  network: string[];
  device: string[];
  from?: Date;
  to?: Date;
  detected?: Date;
}

/**
 * `rempart incident`: open an incident on what an attacker held (or on a shield alert),
 * then freeze its exposed set against the latest signed checkpoint. The security team's
 * tool; the database alone, no master key: ids stay pseudonymous.
 */
export function registerIncident(program: Command): void {
  const incident = program.command('incident').description('incidents : ensemble exact des personnes exposées, par organisme, depuis le journal d’accès');
  incident
    .command('open')
    .description('ouvre un incident sur des comptes, sites, logiciels, réseaux ou appareils et une période, ou sur une alerte du bouclier')
    .option('--title <texte>', 'intitulé')
    .option('--alert <id>', 'alerte du bouclier : ses comptes, depuis 30 jours avant elle', positiveInteger)
    .option('--rpps <n°>', 'compte d’un professionnel ; répétable', collect, [])
    .option('--finess <n°>', 'site ; répétable', collect, [])
    .option('--siret <n°>', 'site ; répétable', collect, [])
    .option('--client <id>', 'logiciel ; répétable', collect, [])
    .option('--network <cidr>', 'réseau, ex. 203.0.113.0/24 ; répétable', collect, [])
    .option('--device <empreinte>', 'appareil (empreinte de clé DPoP, navigateur) ; répétable', collect, [])
    .option('--from <date>', 'début de la période (ISO 8601)', isoDate)
    .option('--to <date>', 'fin de la période (ISO 8601) ; par défaut maintenant', isoDate)
    .option('--detected <date>', 'détection (départ des 72 heures) ; par défaut maintenant', isoDate)
    .action(async (options: OpenOptions) => {
      const id = await withStore((db) => open(db, options));
      process.stdout.write(`Incident ${id} ouvert. Figez l’ensemble exposé : rempart incident freeze ${id}\n`);
    });
  incident
    .command('freeze')
    .description('calcule et fige l’ensemble exposé contre le dernier point de contrôle signé du journal')
    .argument('<id>', 'numéro de l’incident', positiveInteger)
    .action(async (id: number) => {
      const snapshot = await withStore((db) => freezeSnapshot(db, id));
      process.stdout.write(`${describeSnapshot(snapshot).join('\n')}\n`);
    });
  incident
    .command('show')
    .description('l’incident, son horloge de 72 heures et ses instantanés (JSON, comme l’API)')
    .argument('<id>', 'numéro de l’incident', positiveInteger)
    .action(async (id: number) => {
      process.stdout.write(`${JSON.stringify(await withStore((db) => incidentView(db, id, new Date())), null, 2)}\n`);
    });
  incident
    .command('rehearse')
    .description('rejoue une attaque du simulateur dans la base (accès au journal, alerte du bouclier), puis ouvre et fige l’incident')
    .option('--scenario <lettre>', `scénario du simulateur, parmi ${scenarioLetters}`, parseScenario, 'a')
    .option('--seed <n>', 'graine', positiveInteger, 1)
    .option('--sites <n>', 'sites simulés', positiveInteger, 200)
    .action(async (options: { scenario: ScenarioId; seed: number; sites: number }) => {
      const signer = AuditSigner.fromEnv(process.env, dataHome());
      const lines = await withStore((db) => rehearse(db, signer, options));
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  incident
    .command('request-export')
    .description('demande la levée de la pseudonymisation d’un instantané (première approbation, au journal d’accès)')
    .argument('<instantané>', 'numéro de l’instantané', positiveInteger)
    .requiredOption('--officer <identifiant>', 'responsable de la sécurité qui demande')
    .requiredOption('--reason <motif>', 'motif')
    .action(async (snapshot: number, options: { officer: string; reason: string }) => {
      const approvals = await withStore(async (db) => requestMemberExport(db, snapshot, options.reason, await cliOfficer(db, options.officer)));
      process.stdout.write(`${describeApprovals(approvals)}\n`);
    });
  incident
    .command('approve-export')
    .description('seconde approbation, par un autre responsable de la sécurité (au journal d’accès)')
    .argument('<demande>', 'numéro de la demande', positiveInteger)
    .requiredOption('--officer <identifiant>', 'responsable de la sécurité qui approuve')
    .action(async (exportId: number, options: { officer: string }) => {
      const approvals = await withStore(async (db) => approveMemberExport(db, exportId, await cliOfficer(db, options.officer)));
      process.stdout.write(`${describeApprovals(approvals)}\n`);
    });
  incident
    .command('export')
    .description(
      'une fois deux approbations données : pour chaque organisme, le fichier des adhérents à notifier, le projet de notification à la CNIL, ' +
        'la notice du sous-traitant et la lettre aux adhérents (Markdown et PDF)',
    )
    .argument('<demande>', 'numéro de la demande d’export approuvée', positiveInteger)
    .requiredOption('--out <dossier>', 'dossier de sortie (un sous-dossier par numéro AMC)')
    .option('--nature <texte>', 'ce qui s’est passé, en une ou deux phrases', DEFAULT_NATURE)
    .option('--measure <texte>', 'mesure prise ; répétable', collect, [])
    .option('--dpo-contact <texte>', 'contact du délégué à la protection des données de chaque organisme ({organisme} : son nom)', DEFAULT_DPO_CONTACT)
    .option('--letters', 'écrit aussi une lettre par adhérent (Markdown)')
    .action(async (exportId: number, options: ExportOptions) => {
      // PDF documents: their library loads for this command only.
      const { writeIncidentPackage } = await import('../../incidents/notification.js');
      const packages = await withRuntime(({ db, vault }) => writeIncidentPackage(db, vault, exportId, options.out, noticeContext(process.env, { nature: options.nature, measures: options.measure, dpoContact: options.dpoContact, letters: options.letters })));
      for (const p of packages) process.stdout.write(`${p.amcNumber} ${p.name} : ${p.members} adhérent(s) — ${p.path} ; ${p.documents.join(', ')}\n`);
    });
}

interface ExportOptions {
  out: string;
  nature: string;
  measure: string[];
  dpoContact: string;
  letters?: boolean;
}

/** A scenario of the simulator replayed into the store, then the incident on its alert, frozen. */
async function rehearse(db: Database, signer: AuditSigner, options: { scenario: ScenarioId; seed: number; sites: number }): Promise<string[]> {
  const now = new Date();
  const { rehearseScenario } = await import('../../incidents/rehearsal.js');
  const rehearsal = await rehearseScenario(db, { ...options, now });
  await sequenceAll(db, signer);
  const incident = await openIncidentFromAlert(db, rehearsal.alertId, 'cli', new Date(now.getTime() + 60_000));
  const snapshot = await freezeSnapshot(db, incident);
  return [
    `Scénario (${options.scenario}), graine ${options.seed} : ${rehearsal.records} accès rejoués pour ${rehearsal.accounts.length} compte(s) (${rehearsal.accounts.slice(0, 5).join(', ')}${rehearsal.accounts.length > 5 ? '…' : ''}) ; ${rehearsal.containedBy}`,
    `Alerte ${rehearsal.alertId} levée.`,
    ...describeSnapshot(snapshot),
    `Suite : deux responsables approuvent l’export (API, ou rempart incident request-export ${snapshot.id} puis approve-export), puis rempart incident export <demande> --out <dossier>.`,
  ];
}

/** Sequences and signs until nothing is pending (a transaction still open elsewhere holds the watermark back a moment). */
async function sequenceAll(db: Database, signer: AuditSigner, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await runSequencer(db, signer, { wait: true })).pending > 0) {
    if (Date.now() > deadline) throw new Error('journal d’accès : des accès restent à séquencer, réessayez');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The officer named on the command line. The CLI runs on the operator's console host with
 * the database's credentials, which read the registry anyway: it records who approved,
 * it cannot prove it was them. The API does (each officer's passkey, a fresh step-up).
 */
async function cliOfficer(db: Database, subject: string): Promise<Officer> {
  const found = await db.transaction('platform', (tx) => tx.query<{ id: number }>('SELECT id::int AS id FROM staff_member WHERE subject = $1', [subject]));
  const staffId = found.rows[0]?.id;
  if (staffId === undefined) throw new RempartError('AUTH_FORBIDDEN', `${subject} : personne inconnue du personnel`);
  return { staffId, sessionRef: null, ip: '127.0.0.1' };
}

function describeApprovals(approvals: ExportApprovals): string {
  return approvals.approved
    ? `Demande ${approvals.exportId} approuvée par deux responsables : rempart incident export ${approvals.exportId} --out <dossier>`
    : `Demande ${approvals.exportId} : ${approvals.approvers.length} approbation sur 2 ; un autre responsable doit approuver (rempart incident approve-export ${approvals.exportId})`;
}

function parseScenario(value: string): ScenarioId {
  if (!scenarios.some((s) => s.id === value)) throw new InvalidArgumentError(`une lettre parmi ${scenarioLetters}`);
  return value as ScenarioId;
}

async function open(db: Database, options: OpenOptions): Promise<number> {
  const now = new Date();
  if (options.alert !== undefined) return openIncidentFromAlert(db, options.alert, 'cli', options.to ?? now);
  if (!options.from) throw new RempartError('INCIDENT_SCOPE_INVALID', '--from attendu (ou --alert)');
  const scope = await scopeFromDirectory(db, {
    from: options.from,
    to: options.to ?? now,
    rpps: options.rpps,
    sites: [...options.finess, ...options.siret],
    clients: options.client,
    networks: options.network,
    devices: options.device,
  });
  return openIncident(db, { title: options.title ?? 'Incident', detectedAt: options.detected ?? now, openedBy: 'cli', alertId: null, scope });
}

/** The French summary of a snapshot, kept pure for its test. */
export function describeSnapshot(snapshot: Snapshot): string[] {
  return [
    `Incident ${snapshot.incident.id} — ${snapshot.incident.title}`,
    `  Détecté le ${snapshot.incident.detectedAt.toISOString()} ; notifications à la CNIL dues avant le ${snapshot.incident.notifyBy.toISOString()}`,
    `  Instantané ${snapshot.id}, contre le point de contrôle signé de ${snapshot.treeSize} accès (racine ${snapshot.rootHash})`,
    `  ${snapshot.beneficiaries} personne(s) exposée(s), ${snapshot.records} accès`,
    ...snapshot.insurers.map((i) => `  ${i.amcNumber} ${i.name} : ${i.beneficiaries} personne(s), ${i.records} accès`),
  ];
}

function isoDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new InvalidArgumentError('attendu une date ISO 8601, ex. 2026-02-10T08:00:00Z');
  return date;
}
