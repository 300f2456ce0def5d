import { randomBytes } from 'node:crypto';
import { DAY_MS, type CalendarDate } from '../domain/dates.js';

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
  return newBusinessNumber('E', amcNumber);
}

/** The same shape under another letter: "P" for a prior agreement (src/claims/prior-agreements.ts), "F" for an invoice's decision (src/invoices). */
export function newBusinessNumber(letter: 'E' | 'P' | 'F', amcNumber: string): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let text = '';
  for (let i = 0; i < 16; i += 1) text = BASE32[Number((bits >> BigInt(5 * i)) & 31n)] + text;
  return `${letter}${amcNumber}-${text}`;
}

/** The AMC number an engagement number names, if it has the right shape. */
export function amcOfEngagement(number: string): string | undefined {
  return amcOfNumber('E', number);
}

/** The AMC number a business number of this letter names, if it has the right shape. */
export function amcOfNumber(letter: 'E' | 'P' | 'F', number: string): string | undefined {
  return new RegExp(`^${letter}([0-9]{8,10})-[A-Z2-7]{16}$`).exec(number)?.[1];
}

/**
 * The number and expiry of the engagement a covered check will record (disclose_rights,
 * migration 019, writes it with the access record): open until ENGAGEMENT_DAYS after the
 * care day, and at least a day.
 */
export function newEngagement(amcNumber: string, careDate: CalendarDate, now: Date): Engagement {
  const afterCare = new Date(`${careDate}T00:00:00Z`).getTime() + (ENGAGEMENT_DAYS + 1) * DAY_MS;
  return { number: newEngagementNumber(amcNumber), expiresAt: new Date(Math.max(afterCare, now.getTime() + DAY_MS)) };
}
