import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { reasonCategories } from './reasons.js';
import { invoiceReasons } from './reasons.js';

/** What practice software reads: docs/invoice-reasons.md, one row per code. */
const doc = readFileSync(new URL('../../../docs/invoice-reasons.md', import.meta.url), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \| ([^|]+) \|([^|]*)\|$/gm)].map((m) => [m[1] ?? '', { category: (m[2] ?? '').trim(), label: (m[3] ?? '').trim(), when: (m[4] ?? '').trim() }]),
);
/** The categories in the document's words. */
const categoryWords: Record<keyof typeof reasonCategories, string> = {
  identification: 'identification', rights: 'droits', guarantee: 'garantie', engagement: 'engagement',
  prior_agreement: 'accord préalable', professional: 'professionnel', invoice: 'facture', technical: 'technique',
};

describe('the reason-code catalogue as published', () => {
  it('lists every code of the code, and no other, with its category, its label and whether a decision gives it', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(invoiceReasons).sort());
    for (const [code, reason] of Object.entries(invoiceReasons)) {
      const row = rows.get(code);
      expect({ code, category: row?.category, label: row?.label, reserved: row?.when.startsWith('réservé') })
        .toEqual({ code, category: categoryWords[reason.category], label: reason.label, reserved: !reason.emitted });
    }
  });
});
