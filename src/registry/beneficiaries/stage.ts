import { copyRow } from '../../db/copy-text.js';
import { beneficiaryIdentity, type InsurerKeys } from '../../vault/index.js';
import type { Reject } from '../ingest/reject-report.js';
import type { BeneficiaryContent, BeneficiaryLine } from './beneficiary-line.js';

/** The staging table one load fills by COPY, batch after batch, before merging. */
export const stageColumns = [
  'line', 'op', 'member_number', 'product_id', 'convention', 'contract_from', 'contract_to', 'blind_index',
  'rank', 'quality', 'identity', 'key_version', 'fingerprint', 'rights', 'effect_date',
] as const;

/**
 * A `K` row may lack a beneficiary (only its member number was readable): blind index and
 * rank are then null. The other tables hold what the whole file has shown so far, so that
 * memory stays bounded: the beneficiaries it listed, the contracts that rejected lines
 * protect from its removals, each contract's first product (src/registry/beneficiaries/contract-products.ts),
 * and at the end whom it removes.
 */
export const createStageSql = [
  `CREATE TEMP TABLE stage_beneficiary (
    line integer NOT NULL, op char(1) NOT NULL, member_number text, product_id bigint, convention text,
    contract_from date, contract_to date, blind_index bytea, rank smallint, quality smallint,
    identity bytea, key_version integer, fingerprint bytea, rights text, effect_date date,
    skip boolean NOT NULL DEFAULT false
  ) ON COMMIT DROP`,
  'CREATE TEMP TABLE stage_seen (blind_index bytea PRIMARY KEY) ON COMMIT DROP',
  'CREATE TEMP TABLE stage_protected (member_number text PRIMARY KEY) ON COMMIT DROP',
  'CREATE TEMP TABLE stage_contract_seen (member_number text PRIMARY KEY, product_id bigint, conflicted boolean NOT NULL) ON COMMIT DROP',
  'CREATE TEMP TABLE stage_removal (id bigint PRIMARY KEY, member_number text NOT NULL, quality smallint NOT NULL, rank smallint NOT NULL) ON COMMIT DROP',
];

/** The personal data sealed in `beneficiary.identity`; nothing else holds it in clear. */
export interface SealedIdentity {
  nir: string;
  birthDate: string;
  lastName: string;
  firstName: string;
}

export interface StagedBatch {
  text: string;
  rows: number;
  /** Lines closing rights (C), which the merge handles apart. */
  closings: number;
  rejects: Reject[];
}

/**
 * Turns validated lines into COPY rows: blind index, sealed identity and fingerprint are
 * computed here, in the loader's process, so the database never sees a NIR or a name.
 */
export function stageBatch(lines: readonly BeneficiaryLine[], keys: InsurerKeys, products: ReadonlyMap<string, number>): StagedBatch {
  let text = '';
  let rows = 0;
  let closings = 0;
  const rejects: Reject[] = [];
  const inBatch = new Set<string>();
  for (const line of lines) {
    const key = line.key;
    if (key === null) {
      // Only a member number: nobody's place to take, just a contract to keep.
      rows += 1;
      text += keyRow(line.line, 'K', null, null, line.kind === 'keep' ? line.memberNumber : null, null);
      continue;
    }
    const blindIndex = keys.blindIndex([key.nir, key.birthDate.text, String(key.rank)]);
    const seenKey = blindIndex.toString('base64');
    if (inBatch.has(seenKey)) {
      rejects.push({ line: line.line, field: 'nir', code: 'BENEFICIARY_DUPLICATE', message: '' });
      continue;
    }
    inBatch.add(seenKey);
    rows += 1;
    if (line.op === 'C') closings += 1;
    text += stageRow(line, blindIndex, keys, products, rejects);
  }
  return { text, rows, closings, rejects };
}

function stageRow(
  line: BeneficiaryLine,
  blindIndex: Buffer,
  keys: InsurerKeys,
  products: ReadonlyMap<string, number>,
  rejects: Reject[],
): string {
  if (line.kind === 'effect') return keyRow(line.line, line.op, blindIndex, line.key.rank, null, line.effectDate);
  if (line.kind === 'keep') return keyRow(line.line, 'K', blindIndex, line.key?.rank ?? null, line.memberNumber, null);
  const productId = products.get(line.content.productCode);
  if (productId !== undefined) return contentRow(line, line.content, blindIndex, productId, keys);
  const message = `produit « ${line.content.productCode} » absent du catalogue`;
  rejects.push({ line: line.line, field: 'produit', code: 'PRODUCT_UNKNOWN', message });
  return keyRow(line.line, 'K', blindIndex, line.key.rank, line.content.memberNumber, null);
}

/** A line without new content: close (C), remove (S) or keep (K, its member number protecting its contract). */
function keyRow(line: number, op: 'C' | 'S' | 'K', blindIndex: Buffer | null, rank: number | null, memberNumber: string | null, effectDate: string | null): string {
  return copyRow([line, op, memberNumber, null, null, null, null, blindIndex, rank, null, null, null, null, null, effectDate]);
}

function contentRow(line: BeneficiaryLine & { kind: 'content' }, content: BeneficiaryContent, blindIndex: Buffer, productId: number, keys: InsurerKeys): string {
  const identity: SealedIdentity = { nir: line.key.nir, birthDate: line.key.birthDate.text, lastName: content.lastName, firstName: content.firstName };
  const sealed = keys.encrypt(Buffer.from(JSON.stringify(identity)), beneficiaryIdentity(blindIndex));
  const fingerprint = keys.fingerprint([
    content.memberNumber, content.productCode, content.convention ?? '', content.contractFrom, content.contractTo ?? '',
    line.key.nir, line.key.birthDate.text, String(line.key.rank), String(content.quality), content.lastName, content.firstName, content.rights,
  ]);
  return copyRow([
    line.line, line.op, content.memberNumber, productId, content.convention, content.contractFrom, content.contractTo, blindIndex,
    line.key.rank, content.quality, sealed, keys.encryptionVersion, fingerprint, content.rights, null,
  ]);
}
