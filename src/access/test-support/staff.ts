import type { Database } from '../../db/database.js';
import { generateAmcNumber } from '../../domain/identifiers/generate.js';
import { seededRng } from '../../domain/random.js';
import type { AccountRef } from '../people/accounts.js';
import { createStaffMember } from '../staff.js';

export interface Staff {
  insurerId: number;
  amcNumber: string;
  agent: AccountRef;
  officer: AccountRef;
  secondOfficer: AccountRef;
  admin: AccountRef;
}

/** One insurer with its agent, two security officers and an operator administrator. */
export async function seedStaff(db: Database): Promise<Staff> {
  const amcNumber = generateAmcNumber(seededRng('staff-tests'));
  const insurer = await db.transaction('platform', (tx) =>
    tx.query<{ id: number }>("INSERT INTO insurer (amc_number, name, kind) VALUES ($1, 'Mutuelle de test', 'mutuelle') RETURNING id", [amcNumber]),
  );
  const staff = async (subject: string, role: 'insurer_agent' | 'security_officer' | 'operator_admin'): Promise<AccountRef> => ({
    kind: 'staff',
    id: await createStaffMember(db, { subject, name: subject, role, amcNumber: role === 'insurer_agent' ? amcNumber : undefined }, 'tests'),
  });
  return {
    insurerId: Number(insurer.rows[0]?.id),
    amcNumber,
    agent: await staff('agent-mutuelle', 'insurer_agent'),
    officer: await staff('rssi-1', 'security_officer'),
    secondOfficer: await staff('rssi-2', 'security_officer'),
    admin: await staff('admin-1', 'operator_admin'),
  };
}
