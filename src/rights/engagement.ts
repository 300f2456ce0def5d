import { randomBytes } from 'node:crypto';
import type { CompanionWrite } from '../audit/access-record.js';
import type { CareDomain } from '../domain/coverage/care-domain.js';
import type { CalendarDate } from '../domain/dates.js';
import type { Caller } from './caller.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Days after the care date an engagement still backs a calculation or an invoice. */
export const ENGAGEMENT_DAYS = 7;

export interface Engagement {
  number: string;
  expiresAt: Date;
}

/**
 * An engagement number: "E", the insurer's AMC number (so a calculation finds the insurer
 * without a lookup table), "-", then 80 random bits in base 32: unguessable, so a number
 * seen on one invoice opens nothing else.
 */
export function newEngagementNumber(amcNumber: string): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let text = '';
  for (let i = 0; i < 16; i += 1) text = BASE32[Number((bits >> BigInt(5 * i)) & 31n)] + text;
  return `E${amcNumber}-${text}`;
}

/** The AMC number an engagement number names, if it has the right shape. */
export function amcOfEngagement(number: string): string | undefined {
  return /^E([0-9]{8,10})-[A-Z2-7]{16}$/.exec(number)?.[1];
}

export interface NewEngagement {
  insurerId: number;
  amcNumber: string;
  beneficiaryId: number;
  productId: number;
  careDate: CalendarDate;
  domains: readonly CareDomain[];
}

/**
 * The guarantee, recorded in the rights check's own statement with its access record
 * (a data-modifying CTE), bound to its caller.
 */
export function engagementWrite(caller: Caller, engagement: NewEngagement, now: Date): { engagement: Engagement; write: CompanionWrite } {
  const number = newEngagementNumber(engagement.amcNumber);
  const afterCare = new Date(`${engagement.careDate}T00:00:00Z`).getTime() + (ENGAGEMENT_DAYS + 1) * 86_400_000;
  const expiresAt = new Date(Math.max(afterCare, now.getTime() + 86_400_000));
  const cte = `engaged AS (INSERT INTO engagement (insurer_id, number, beneficiary_id, product_id, site_id, professional_id, client_id, care_date, care_domains, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10, $11))`;
  const params = [engagement.insurerId, number, engagement.beneficiaryId, engagement.productId, caller.siteId, caller.professionalId, caller.clientId, engagement.careDate, engagement.domains, now, expiresAt];
  return { engagement: { number, expiresAt }, write: { cte, params } };
}
