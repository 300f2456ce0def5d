import type { Command } from 'commander';
import { createStaffMember, listStaff, staffRoles } from '../../access/staff.js';
import type { StaffRole } from '../../access/people/accounts.js';
import { RempartError } from '../../domain/errors/codes.js';
import { withRuntime } from '../runtime.js';

interface AddOptions {
  subject: string;
  name: string;
  role: string;
  amc?: string;
}

/**
 * `rempart staff`: accounts of insurer agents, security officers and operator
 * administrators. The first administrator is created here; the others can then be
 * created through the API by an administrator.
 */
export function registerStaff(program: Command): void {
  const staff = program.command('staff').description('comptes du personnel (agents d’organisme, sécurité, administration)');
  staff
    .command('add')
    .description('crée un compte ; la personne se connecte ensuite par le fournisseur d’identité puis une clé d’accès')
    .requiredOption('--subject <sub>', 'identifiant de la personne chez le fournisseur d’identité (sub)')
    .requiredOption('--name <nom>', 'nom affiché')
    .requiredOption('--role <rôle>', staffRoles.join(' | '))
    .option('--amc <numéro>', 'organisme complémentaire d’un agent (numéro AMC)')
    .action(async (options: AddOptions) => {
      if (!staffRoles.includes(options.role as StaffRole)) throw new RempartError('STAFF_INVALID', `rôle « ${options.role} »`);
      await withRuntime(async ({ db }) => {
        const id = await createStaffMember(db, { subject: options.subject, name: options.name, role: options.role as StaffRole, amcNumber: options.amc }, 'ligne de commande');
        process.stdout.write(`Compte ${id} créé : ${options.subject} (${options.role}).\n`);
      });
    });
  staff
    .command('list')
    .description('liste les comptes du personnel')
    .action(async () => {
      await withRuntime(async ({ db }) => {
        for (const m of await listStaff(db)) {
          process.stdout.write(`${m.id}\t${m.subject}\t${m.role}\t${m.amcNumber ?? '-'}\t${m.suspended ? 'suspendu' : 'actif'}\t${m.name}\n`);
        }
      });
    });
}
