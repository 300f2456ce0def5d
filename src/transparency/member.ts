import type { Tx } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import { readCardIdentity, type CardIdentity } from '../rights/rights-query.js';
import type { Vault } from '../vault/index.js';

/**
 * Who the portal asks about, as the cards name them. A member number and a rank are not
 * enough: a contract's adult, spouse and children usually all have rank 1. The insurer
 * knows its members' NIR and birth date; the platform finds the person by its blind index,
 * as a rights check does, and the member number must be that person's contract's.
 */
export interface MemberQuery extends CardIdentity {
  rank: number;
}

/** The request's fields, named as on the cards (French, like the rights check). */
export interface MemberBody {
  adherent: string;
  nir: string;
  naissance: string;
  rang: number;
}

export const memberBodyProperties = {
  adherent: { type: 'string', minLength: 1, maxLength: 30, description: 'Numéro d’adhérent (carte de tiers payant)' },
  nir: { type: 'string', maxLength: 21, description: 'NIR du bénéficiaire avec sa clé (15 caractères, espaces permis)' },
  naissance: { type: 'string', maxLength: 10, description: 'Date de naissance AAAA-MM-JJ, telle que sur la carte Vitale (dates lunaires admises)' },
  rang: { type: 'integer', minimum: 1, maximum: 9, description: 'Rang de naissance' },
} as const;

export const memberRequired = ['adherent', 'nir', 'naissance', 'rang'] as const;

/** A malformed identifier is the caller's mistake and says so; whether the person exists never does. */
export function readMemberQuery(body: MemberBody, now: Date): MemberQuery {
  return { ...readCardIdentity(body, now), rank: body.rang };
}

/**
 * The beneficiary's internal id, in the transaction's insurer scope. Unknown person, wrong
 * member number, another insurer's member (invisible under row-level security): one
 * identical refusal, so a portal cannot probe beyond its own members.
 */
export async function findBeneficiary(tx: Tx, vault: Vault, insurerId: number, query: MemberQuery): Promise<number> {
  // An insurer without keys has no member yet. Letting the vault create its keys here, in a
  // transaction this refusal rolls back, would leave the process caching a key nobody kept.
  const keyed = await tx.query("SELECT 1 FROM data_key WHERE insurer_id = $1 AND purpose = 'index'", [insurerId]);
  if (keyed.rowCount === 0) throw new RempartError('MEMBER_UNKNOWN');
  const blindIndex = (await vault.blindIndexer(tx, insurerId))([query.nir, query.birthDate.text, String(query.rank)]);
  // The serving role cannot read the registry (migration 019): the card gives an internal id or nothing.
  const found = await tx.query<{ id: string | number | null }>('SELECT member_by_card($1, $2, $3) AS id', [insurerId, blindIndex, query.memberNumber]);
  const id = found.rows[0]?.id;
  if (id === undefined || id === null) throw new RempartError('MEMBER_UNKNOWN');
  return Number(id);
}
