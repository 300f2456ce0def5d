import { readFile, stat } from 'node:fs/promises';
import { enterInsurerScope, type Tx } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import { encodingRefusalIn, invalidUtf8At } from '../ingest/encoding-fault.js';
import { claimRun, finishRun, noRemovals } from '../ingest/ledger.js';
import type { FileContext, LoadOutcome } from '../ingest/load-context.js';
import { readCatalogue, type Catalogue, type Product, type ProductVersion } from './catalogue-document.js';

const MAX_CATALOGUE_BYTES = 16 << 20;

/**
 * Applies an insurer's catalogue in one transaction: the insurer is created or renamed,
 * conventions and products upserted, new product versions added. A published version is
 * immutable: the same content again changes nothing, other content is refused.
 */
export async function loadCatalogue(ctx: FileContext): Promise<LoadOutcome> {
  const catalogue = await readDocument(ctx);
  return ctx.db.transaction('platform', async (tx) => {
    const insurerId = await upsertInsurer(tx, catalogue.insurer);
    await enterInsurerScope(tx, insurerId);
    const run = { ...ctx.run, insurerId };
    const claim = await claimRun(tx, run, ctx.permissions);
    if (!claim.claimed) return { status: 'already_loaded', loadedAt: claim.loadedAt, suspendedRemovals: 0 };
    let applied = 0;
    for (const convention of catalogue.conventions) applied += await upsertConvention(tx, insurerId, convention);
    for (const product of catalogue.products) applied += await upsertProduct(tx, insurerId, product);
    const lines = catalogue.products.length + catalogue.conventions.length;
    const counts = { lines, applied, unchanged: lines - applied, rejected: 0, ...noRemovals };
    await finishRun(tx, claim.runId, counts);
    return { status: 'applied', replay: claim.again, ...counts };
  });
}

async function readDocument(ctx: FileContext): Promise<Catalogue> {
  if ((await stat(ctx.path)).size > MAX_CATALOGUE_BYTES) throw new RempartError('FILE_KIND', 'catalogue de plus de 16 Mo');
  const bytes = await readFile(ctx.path);
  const badByte = invalidUtf8At(bytes);
  if (badByte >= 0) throw encodingRefusalIn(bytes, badByte);
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8').decode(bytes)); // drops a BOM
  } catch {
    throw new RempartError('FILE_HEADER', 'JSON illisible');
  }
  const { catalogue, faults } = readCatalogue(document);
  if (catalogue) return catalogue;
  await ctx.report.add(faults.map((fault) => ({ line: 0, field: fault.path, code: fault.code, message: fault.message })));
  throw new RempartError('FILE_HEADER', `catalogue invalide (${faults.length} erreurs, voir le rapport)`);
}

async function upsertInsurer(tx: Tx, insurer: Catalogue['insurer']): Promise<number> {
  const row = await tx.query<{ id: number }>(
    `INSERT INTO insurer (amc_number, name, kind, prior_agreement_validity_months, prior_agreement_tolerance_cents) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (amc_number) DO UPDATE SET name = excluded.name, kind = excluded.kind,
       prior_agreement_validity_months = excluded.prior_agreement_validity_months, prior_agreement_tolerance_cents = excluded.prior_agreement_tolerance_cents
     RETURNING id`,
    [insurer.amcNumber, insurer.name, insurer.kind, insurer.priorAgreements.validityMonths, insurer.priorAgreements.toleranceCents],
  );
  return row.rows[0]?.id ?? 0;
}

async function upsertConvention(tx: Tx, insurerId: number, convention: Catalogue['conventions'][number]): Promise<number> {
  const result = await tx.query(
    `INSERT INTO convention (insurer_id, code, routing_criterion, label) VALUES ($1, $2, $3, $4)
     ON CONFLICT (insurer_id, code, routing_criterion) DO UPDATE SET label = excluded.label
     WHERE convention.label <> excluded.label`,
    [insurerId, convention.code, convention.routingCriterion, convention.label],
  );
  return result.rowCount;
}

async function upsertProduct(tx: Tx, insurerId: number, product: Product): Promise<number> {
  const result = await tx.query<{ id: number; changed: boolean }>(
    `WITH upserted AS (
       INSERT INTO product (insurer_id, code, label, level, responsible) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (insurer_id, code) DO UPDATE SET label = excluded.label, level = excluded.level, responsible = excluded.responsible
       WHERE (product.label, product.level, product.responsible) IS DISTINCT FROM (excluded.label, excluded.level, excluded.responsible)
       RETURNING id)
     SELECT id, true AS changed FROM upserted
     UNION ALL SELECT id, false FROM product WHERE insurer_id = $1 AND code = $2 AND NOT EXISTS (SELECT 1 FROM upserted)`,
    [insurerId, product.code, product.label, product.level, product.responsible],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`produit ${product.code} introuvable après écriture`);
  let added = 0;
  for (const version of product.versions) added += await addVersion(tx, insurerId, row.id, product.code, version);
  return row.changed || added > 0 ? 1 : 0;
}

/** Returns 1 when the version is new, 0 when it is already there identically. */
async function addVersion(tx: Tx, insurerId: number, productId: number, code: string, version: ProductVersion): Promise<number> {
  const stored = await storedVersion(tx, insurerId, productId, version.version);
  if (stored === undefined) {
    await insertVersion(tx, insurerId, productId, version);
    return 1;
  }
  if (stored !== versionContent(version)) {
    throw new RempartError('FIELD_INVALID', `produit ${code} : la version ${version.version} existe déjà avec un autre contenu ; publiez une nouvelle version`);
  }
  return 0;
}

interface StoredGuarantee {
  care_domain: string;
  label: string;
  annual_ceiling_cents: number | null;
  renewal_months: number | null;
  hundred_percent_sante: boolean;
  families: Record<string, string>;
  ceiling_period_months: number | null;
  ceiling_scope: string;
}

async function storedVersion(tx: Tx, insurerId: number, productId: number, version: number): Promise<string | undefined> {
  const head = await tx.query<{ valid_from: string; valid_to: string | null }>(
    'SELECT valid_from, valid_to FROM product_version WHERE insurer_id = $1 AND product_id = $2 AND version = $3',
    [insurerId, productId, version],
  );
  const row = head.rows[0];
  if (!row) return undefined;
  const guarantees = await tx.query<StoredGuarantee>(
    `SELECT care_domain, label, annual_ceiling_cents, renewal_months, hundred_percent_sante, families, ceiling_period_months, ceiling_scope FROM guarantee
      WHERE insurer_id = $1 AND product_id = $2 AND version = $3`,
    [insurerId, productId, version],
  );
  return canonical(row.valid_from, row.valid_to, guarantees.rows);
}

function versionContent(version: ProductVersion): string {
  const guarantees = version.guarantees.map((g) => ({
    care_domain: g.domain, label: g.label, annual_ceiling_cents: g.annualCeiling, renewal_months: g.renewalMonths, hundred_percent_sante: g.hundredPercentSante,
    families: g.families, ceiling_period_months: g.ceilingPeriodMonths, ceiling_scope: g.ceilingScope,
  }));
  return canonical(version.from, version.to, guarantees);
}

/**
 * One comparable text for a version, whichever side it comes from. Families, a ceiling
 * period and a per-side scope appear only when the guarantee has them, so a version
 * published before them compares as it always did.
 */
function canonical(from: string, to: string | null, guarantees: readonly StoredGuarantee[]): string {
  const sorted = [...guarantees].sort((a, b) => a.care_domain.localeCompare(b.care_domain));
  return JSON.stringify({
    from,
    to,
    guarantees: sorted.map((g) => {
      const row: unknown[] = [g.care_domain, g.label, g.annual_ceiling_cents, g.renewal_months, g.hundred_percent_sante];
      const families = Object.entries(g.families).sort(([a], [b]) => a.localeCompare(b));
      const period = g.ceiling_period_months === null && g.ceiling_scope === 'beneficiary' ? [] : [{ period: g.ceiling_period_months, scope: g.ceiling_scope }];
      return [...row, ...(families.length > 0 ? [families] : []), ...period];
    }),
  });
}

async function insertVersion(tx: Tx, insurerId: number, productId: number, version: ProductVersion): Promise<void> {
  await tx.query('INSERT INTO product_version (insurer_id, product_id, version, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5)', [
    insurerId, productId, version.version, version.from, version.to,
  ]);
  for (const g of version.guarantees) {
    await tx.query(
      `INSERT INTO guarantee (insurer_id, product_id, version, care_domain, basis, rate_bp, flat_cents,
                              annual_ceiling_cents, renewal_months, hundred_percent_sante, label, families, ceiling_period_months, ceiling_scope)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [insurerId, productId, version.version, g.domain, g.expression.basis, g.expression.rateBp, g.expression.flatCents,
        g.annualCeiling, g.renewalMonths, g.hundredPercentSante, g.label, JSON.stringify(g.families), g.ceilingPeriodMonths, g.ceilingScope],
    );
  }
}
