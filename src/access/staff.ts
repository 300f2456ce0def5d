import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import type { StaffRole } from './people/accounts.js';

export interface NewStaffMember {
  /** The person's `sub` at the identity provider. */
  subject: string;
  name: string;
  role: StaffRole;
  /** An insurer agent's insurer, by AMC number; nothing for the platform's own staff. */
  amcNumber?: string | undefined;
}

export interface StaffMember {
  id: number;
  subject: string;
  name: string;
  role: StaffRole;
  amcNumber: string | null;
  suspended: boolean;
}

export const staffRoles: readonly StaffRole[] = ['insurer_agent', 'security_officer', 'operator_admin'];

/** Creates a staff account; an agent must name a known insurer, other roles none. */
export async function createStaffMember(db: Database, member: NewStaffMember, by: string): Promise<number> {
  if ((member.role === 'insurer_agent') !== (member.amcNumber !== undefined)) throw new RempartError('STAFF_INVALID');
  return db.transaction('platform', async (tx) => {
    let insurerId: number | null = null;
    if (member.amcNumber !== undefined) {
      const insurer = await tx.query<{ id: number }>('SELECT id FROM insurer WHERE amc_number = $1', [member.amcNumber]);
      insurerId = insurer.rows[0]?.id ?? null;
      if (insurerId === null) throw new RempartError('STAFF_INVALID', `organisme ${member.amcNumber} inconnu`);
    }
    const created = await tx.query<{ id: number }>(
      `INSERT INTO staff_member (subject, display_name, role, insurer_id, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subject) DO NOTHING RETURNING id`,
      [member.subject, member.name, member.role, insurerId, by],
    );
    const id = created.rows[0]?.id;
    if (id === undefined) throw new RempartError('STAFF_CONFLICT', member.subject);
    await tx.query("INSERT INTO auth_event (kind, outcome, reason, subject) VALUES ('token', 'success', $1, $2)", [
      `compte ${member.role} créé par ${by}`,
      `agent ${member.subject}`,
    ]);
    return Number(id);
  });
}

export async function listStaff(db: Database): Promise<StaffMember[]> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ id: number; subject: string; display_name: string; role: StaffRole; amc_number: string | null; suspended: boolean }>(
      `SELECT m.id, m.subject, m.display_name, m.role, i.amc_number, staff_suspended(m.id) AS suspended
         FROM staff_member m LEFT JOIN insurer i ON i.id = m.insurer_id ORDER BY m.id`,
    ),
  );
  return found.rows.map((row) => ({
    id: Number(row.id), subject: row.subject, name: row.display_name, role: row.role, amcNumber: row.amc_number, suspended: row.suspended,
  }));
}
