import { randomInt } from 'node:crypto';
import { enterInsurerScope, scopeStatement, type Database, type Tx } from '../../db/database.js';
import { todayUtc } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { generateNir } from '../../domain/identifiers/index.js';
import { chance, pick, type Rng } from '../../domain/random.js';
import { DAYS_PER_YEAR, firstDayOfYear, isoDate, lastDayOfYear, toDay } from '../../fiction/calendar.js';
import { firstName, lastName, randomSex } from '../../fiction/names.js';
import type { InsurerKeys, Vault } from '../../vault/index.js';
import { readBeneficiaryLine, type BeneficiaryLine } from '../beneficiaries/beneficiary-line.js';
import { mergeBatch, uploadBatch } from '../beneficiaries/merge.js';
import { createStageSql, stageBatch } from '../beneficiaries/stage.js';

export interface PlantOptions {
  amcNumber: string;
  count: number;
  now: Date;
  /** Tests replay a draw with a seeded Rng; by default the draw is cryptographically random. */
  rng?: Rng;
}

/** What a planted beneficiary's cards say. For tests and simulations only: never shown to anyone. */
export interface HoneytokenCard {
  amc: string;
  adherent: string;
  nir: string;
  naissance: string;
  rang: number;
}

export interface PlantedHoneytoken {
  beneficiaryId: number;
  card: HoneytokenCard;
}

export interface PlantResult {
  insurerId: number;
  planted: PlantedHoneytoken[];
}

export const MAX_HONEYTOKENS_PER_PLANT = 1000;

/** A contract drawn to copy: its product, its convention, the shape of its member number. */
interface Template {
  productId: number;
  productCode: string;
  convention: string | null;
  memberNumber: string;
  domains: string[];
}

interface Draft {
  fields: Record<string, string>;
  blindIndex: Buffer;
}

const MAX_DRAWS = 20;

/**
 * Plants `count` fabricated beneficiaries in an insurer's registry and records them as
 * honeytokens, in one transaction: all of them or none.
 *
 * Each one is a single-member contract written through the beneficiaries loader's own
 * steps (a delta `A` line read by `readBeneficiaryLine`, sealed and indexed by
 * `stageBatch`, merged by `mergeBatch`), so its rows are those a file would have written:
 * same encryption, blind index, fingerprint and rights format. No file and no `load_run`
 * row is involved (an insurer's load history would show it, and a full file would remove
 * everyone it does not list). Member numbers and NIR+birth date+rank are drawn until they
 * are new for the insurer, and the rows are checked after the merge, so that no existing
 * member is changed: an upsert that touched one rolls the whole plant back.
 *
 * The transaction starts in the platform scope (the insurer by AMC number), moves to the
 * insurer's scope for its rows, then back to the platform scope, the only one that may
 * write the `honeytoken` table.
 */
export async function plantHoneytokens(db: Database, vault: Vault, options: PlantOptions): Promise<PlantResult> {
  const { amcNumber, count, now } = options;
  if (!Number.isInteger(count) || count < 1 || count > MAX_HONEYTOKENS_PER_PLANT) {
    throw new RempartError('FIELD_INVALID', `nombre de leurres : un entier de 1 à ${MAX_HONEYTOKENS_PER_PLANT}`);
  }
  const rng = options.rng ?? cryptoRng();
  return db.transaction('platform', async (tx) => {
    const insurerId = await insurerByAmc(tx, amcNumber);
    await enterInsurerScope(tx, insurerId);
    const keys = await vault.keysFor(tx, insurerId);
    const templates = await contractTemplates(tx, now);
    const drafts = await drawNew(tx, keys, count, () => draft(rng, pick(rng, templates), now));
    const ids = await writeThroughLoader(tx, keys, templates, drafts);
    const { text, params } = scopeStatement('platform');
    await tx.query(text, params);
    await tx.query('INSERT INTO honeytoken (insurer_id, beneficiary_id, planted_at) SELECT $1, unnest($2::bigint[]), $3', [insurerId, ids, now]);
    return {
      insurerId,
      planted: drafts.map((d, i) => ({
        beneficiaryId: ids[i] as number,
        card: { amc: amcNumber, adherent: d.fields.adherent ?? '', nir: d.fields.nir ?? '', naissance: d.fields.date_naissance ?? '', rang: Number(d.fields.rang) },
      })),
    };
  });
}

async function insurerByAmc(tx: Tx, amcNumber: string): Promise<number> {
  const found = await tx.query<{ id: number }>('SELECT id FROM insurer WHERE amc_number = $1', [amcNumber]);
  const row = found.rows[0];
  if (!row) throw new RempartError('AMC_UNKNOWN', amcNumber);
  return Number(row.id);
}

/**
 * The insurer's latest contracts on a product open today, to copy from: products and
 * conventions then follow what the insurer really sells, and member numbers its own style.
 * Read through the (insurer, id) primary key, whatever the registry's size.
 */
async function contractTemplates(tx: Tx, now: Date): Promise<Template[]> {
  const found = await tx.query<{ product_id: number; code: string; convention_code: string | null; member_number: string; domains: string[] }>(
    `SELECT c.product_id, p.code, c.convention_code, c.member_number, d.domains
       FROM (SELECT * FROM contract ORDER BY insurer_id DESC, id DESC LIMIT 200) c
       JOIN product p ON p.insurer_id = c.insurer_id AND p.id = c.product_id
       CROSS JOIN LATERAL (
         SELECT array_agg(DISTINCT g.care_domain ORDER BY g.care_domain) AS domains
           FROM product_version v JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version
          WHERE v.insurer_id = c.insurer_id AND v.product_id = c.product_id AND active_on(v.valid_from, v.valid_to, $1::date)) d
      WHERE d.domains IS NOT NULL`,
    [todayUtc(now)],
  );
  const templates = found.rows.map((row) => ({
    productId: Number(row.product_id), productCode: row.code, convention: row.convention_code, memberNumber: row.member_number, domains: row.domains,
  }));
  if (templates.length > 0) return templates;
  // No member yet: any product open today, numbered in digits.
  const products = await tx.query<{ id: number; code: string; domains: string[] }>(
    `SELECT p.id, p.code, array_agg(DISTINCT g.care_domain ORDER BY g.care_domain) AS domains
       FROM product p JOIN product_version v ON v.insurer_id = p.insurer_id AND v.product_id = p.id
       JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version
      WHERE active_on(v.valid_from, v.valid_to, $1::date) GROUP BY p.id, p.code`,
    [todayUtc(now)],
  );
  const convention = (await tx.query<{ code: string }>('SELECT code FROM convention ORDER BY code LIMIT 1')).rows[0]?.code ?? null;
  if (products.rowCount === 0) throw new RempartError('PRODUCT_UNKNOWN', 'aucun produit de cet organisme n’est ouvert aujourd’hui');
  return products.rows.map((row) => ({ productId: Number(row.id), productCode: row.code, convention, memberNumber: '00000000', domains: row.domains }));
}

/** A member of 20 to 89 on a copied contract, with rights for the current year: a delta `A` line's fields. */
function draft(rng: Rng, template: Template, now: Date): Record<string, string> {
  const today = toDay(todayUtc(now));
  const year = now.getUTCFullYear();
  const sex = randomSex(rng);
  const birth = isoDate(today - Math.floor(rng.int(20, 89) * DAYS_PER_YEAR) - rng.int(0, 364));
  const firstYear = firstDayOfYear(year - rng.int(0, 15));
  // Like the generator: most contracts start on 1 January, none after today.
  const from = Math.min(today, chance(rng, 0.6) ? firstYear : firstYear + rng.int(0, 364));
  const rightsFrom = isoDate(Math.max(from, firstDayOfYear(year)));
  const rightsTo = isoDate(lastDayOfYear(year));
  return {
    operation: 'A',
    adherent: sameShape(rng, template.memberNumber),
    produit: template.productCode,
    convention: template.convention ?? '',
    debut_contrat: isoDate(from),
    fin_contrat: '',
    nir: generateNir(rng, { sex, birthDate: birth }),
    date_naissance: birth,
    rang: '1',
    qualite: '0',
    nom: lastName(rng),
    prenom: firstName(rng, sex),
    droits: template.domains.map((domain) => `${domain}:${rightsFrom}:${rightsTo}`).join(' '),
    date_effet: '',
  };
}

/** Another member number in the same style: letters and signs kept, digits redrawn. */
function sameShape(rng: Rng, memberNumber: string): string {
  return memberNumber.replace(/[0-9]/g, () => String(rng.int(0, 9)));
}

/**
 * Drafts until `count` of them name nobody the insurer knows (member number and blind
 * index both new) and nobody twice.
 */
async function drawNew(tx: Tx, keys: InsurerKeys, count: number, next: () => Record<string, string>): Promise<Draft[]> {
  const kept: Draft[] = [];
  for (let round = 0; round < MAX_DRAWS && kept.length < count; round += 1) {
    const candidates = Array.from({ length: count - kept.length }, () => {
      const fields = next();
      return { fields, blindIndex: keys.blindIndex([fields.nir ?? '', fields.date_naissance ?? '', fields.rang ?? '']) };
    });
    const taken = await tx.query<{ member_number: string | null; blind_index: Buffer | null }>(
      `SELECT c.member_number, NULL::bytea AS blind_index FROM contract c WHERE c.member_number = ANY($1::text[])
       UNION ALL SELECT NULL, b.blind_index FROM beneficiary b WHERE b.blind_index = ANY($2::bytea[])`,
      [candidates.map((c) => c.fields.adherent), candidates.map((c) => c.blindIndex)],
    );
    const members = new Set(taken.rows.map((row) => row.member_number).filter((m) => m !== null));
    const indexes = new Set(taken.rows.flatMap((row) => (row.blind_index ? [Buffer.from(row.blind_index).toString('hex')] : [])));
    for (const candidate of candidates) {
      const index = candidate.blindIndex.toString('hex');
      const member = candidate.fields.adherent ?? '';
      const repeated = kept.some((k) => k.fields.adherent === member || k.blindIndex.toString('hex') === index);
      if (!members.has(member) && !indexes.has(index) && !repeated) kept.push(candidate);
    }
  }
  if (kept.length < count) throw new RempartError('INTERNAL', 'leurres : pas assez de numéros libres tirés');
  return kept;
}

/**
 * The loader's steps on one batch of delta `A` lines: read and validated as a file's line,
 * staged (sealed identity, blind index, fingerprint), merged. Returns the beneficiaries'
 * ids in the drafts' order, after checking that each new contract holds exactly its own
 * new beneficiary, i.e. that nothing existing was updated.
 */
async function writeThroughLoader(tx: Tx, keys: InsurerKeys, templates: readonly Template[], drafts: readonly Draft[]): Promise<number[]> {
  const lines = drafts.map((d, i): BeneficiaryLine => {
    const read = readBeneficiaryLine({ line: i + 1, fields: d.fields }, 'delta');
    if (read.rejects.length > 0 || read.value?.kind !== 'content') {
      throw new RempartError('INTERNAL', `leurre refusé par le lecteur de fichiers : ${read.rejects.map((r) => `${r.field} ${r.code}`).join(', ')}`);
    }
    return read.value;
  });
  const products = new Map(templates.map((t) => [t.productCode, t.productId]));
  const staged = stageBatch(lines, keys, products);
  if (staged.rejects.length > 0) throw new RempartError('INTERNAL', `leurre refusé à la préparation : ${staged.rejects.map((r) => r.code).join(', ')}`);
  for (const statement of createStageSql) await tx.query(statement);
  await uploadBatch(tx, staged);
  const merged = await mergeBatch(tx, staged);
  const written = await tx.query<{ member_number: string; id: number; members: number }>(
    `SELECT c.member_number, min(b.id) AS id, count(b.id)::int AS members
       FROM contract c LEFT JOIN beneficiary b ON b.insurer_id = c.insurer_id AND b.contract_id = c.id
      WHERE c.member_number = ANY($1::text[]) GROUP BY c.member_number`,
    [drafts.map((d) => d.fields.adherent)],
  );
  const byMember = new Map(written.rows.map((row) => [row.member_number, row]));
  const ids = drafts.map((d) => {
    const row = byMember.get(d.fields.adherent ?? '');
    return row && row.members === 1 ? Number(row.id) : undefined;
  });
  if (merged.applied !== drafts.length || merged.rejects.length > 0 || ids.some((id) => id === undefined)) {
    throw new RempartError('INTERNAL', 'leurres : un membre existant aurait été modifié (chargement concurrent ?), rien n’a été planté');
  }
  return ids as number[];
}

/** Draws from the operating system's generator: a honeytoken must not be replayable from a seed. */
function cryptoRng(): Rng {
  return { int: (min, max) => randomInt(min, max + 1) };
}
