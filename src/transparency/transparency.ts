import type { Database } from '../db/database.js';
import { disclose } from '../disclosure/door.js';
import { RempartError } from '../domain/errors/codes.js';
import type { Vault } from '../vault/index.js';
import { accessHistory, type HistoryWindow } from './history.js';
import { amcOfLinkToken, LINK_MINUTES, newLinkToken, spendLink, storeLink } from './links.js';
import { findBeneficiary, type MemberQuery } from './member.js';
import { portalAudience } from './portal-audience.js';
import { recordRead } from './reads.js';
import { describeEntry, type DescribedEntry } from './words.js';

export interface TransparencyDeps {
  db: Database;
  vault: Vault;
  now: () => Date;
  /** The platform's public origin: links point there. */
  publicOrigin: string;
}

/** The member portal calling, from its verified request context. */
export interface Portal {
  clientId: string;
  insurerId: number;
  keyThumbprint: string;
}

export interface HistoryPage {
  entries: DescribedEntry[];
  /** More, older records remain (the API gives a cursor; the page says so). */
  more: boolean;
}

/**
 * A member's history for the portal, through the door (src/disclosure), in one transaction
 * in the portal's insurer scope: find the person (member_by_card, the serving role's only
 * way to the registry), read the page, record the read; an unknown card is recorded as
 * not_found. No shield: the portal is no professional, and reading a history discloses
 * nothing from the registry (a honeytoken's empty history included).
 */
export async function readHistory(deps: TransparencyDeps, portal: Portal, query: MemberQuery, window: HistoryWindow, ip: string): Promise<HistoryPage> {
  const reader = { clientId: portal.clientId, ip, device: `dpop:${portal.keyThumbprint}` };
  return disclose(deps.db, portalAudience(reader), {
    purpose: 'transparency',
    insurer: () => Promise.resolve(portal.insurerId),
    work: async (tx, insurerId) => {
      const beneficiaryId = await findBeneficiary(tx, deps.vault, insurerId, query);
      const page = await accessHistory(tx, insurerId, beneficiaryId, window);
      await recordRead(tx, { insurerId, beneficiaryId, ...reader, channel: 'api', entries: page.entries.length, result: 'shown' });
      return { answer: { entries: page.entries.map(describeEntry), more: page.more }, seen: null };
    },
  }, deps.now());
}

/** A single-use link to the history page of one of the portal's members. */
export async function createLink(deps: TransparencyDeps, portal: Portal, query: MemberQuery): Promise<{ url: string; expiresAt: Date }> {
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + LINK_MINUTES * 60_000);
  return deps.db.transaction({ insurerId: portal.insurerId }, async (tx) => {
    const beneficiaryId = await findBeneficiary(tx, deps.vault, portal.insurerId, query);
    const amc = await tx.query<{ amc_number: string }>('SELECT amc_number FROM insurer WHERE id = $1', [portal.insurerId]);
    const token = newLinkToken(amc.rows[0]?.amc_number ?? '');
    await storeLink(tx, { insurerId: portal.insurerId, beneficiaryId, clientId: portal.clientId, token, expiresAt }, now);
    return { url: `${deps.publicOrigin}/transparence/${token}`, expiresAt };
  });
}

/** How many records the page shows at most; beyond, the portal's API pages through them. */
export const PAGE_ENTRIES = 200;

export interface OpenedLink extends HistoryPage {
  insurerName: string;
}

/** The page's history: the link spent, the read recorded, in the insurer's scope. */
export async function openLink(deps: TransparencyDeps, token: string, browser: { ip: string; userAgent: string | null }): Promise<OpenedLink> {
  const insurer = await insurerOfToken(deps.db, token);
  return deps.db.transaction({ insurerId: insurer.id }, async (tx) => {
    const { beneficiaryId, clientId } = await spendLink(tx, insurer.id, token, deps.now());
    const page = await accessHistory(tx, insurer.id, beneficiaryId, { limit: PAGE_ENTRIES });
    await recordRead(tx, { insurerId: insurer.id, beneficiaryId, clientId, channel: 'page', ip: browser.ip, device: browser.userAgent, entries: page.entries.length, result: 'shown' });
    return { entries: page.entries.map(describeEntry), more: page.more, insurerName: insurer.name };
  });
}

async function insurerOfToken(db: Database, token: string): Promise<{ id: number; name: string }> {
  const amc = amcOfLinkToken(token);
  if (amc === undefined) throw new RempartError('TRANSPARENCY_LINK_INVALID');
  const found = await db.query<{ id: number; name: string }>('SELECT id, name FROM insurer WHERE amc_number = $1', [amc]);
  const row = found.rows[0];
  if (!row) throw new RempartError('TRANSPARENCY_LINK_INVALID');
  return { id: Number(row.id), name: row.name };
}
