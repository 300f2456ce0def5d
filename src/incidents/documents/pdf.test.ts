import { describe, expect, it } from 'vitest';
import { cnilDraft } from './cnil-draft.js';
import { paragraph, type Doc } from './doc.js';
import { memberLetter } from './member-letter.js';
import { toPdf } from './pdf.js';
import { sampleFacts, sampleMember } from './test-support/facts.js';
import { pdfText } from './test-support/pdf-text.js';
import { toWinAnsi } from './win-ansi.js';

describe('PDF rendering', () => {
  it('writes a real PDF whose text carries the French words, accents included', async () => {
    const pdf = await toPdf(memberLetter(sampleFacts(), sampleMember()));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(3_000);
    const text = pdfText(pdf);
    expect(text).toContain('Vos informations ont été consultées sans autorisation');
    expect(text).toContain('Ce qui s’est passé');
    expect(text).toContain('le 1er décembre 2026');
    expect(text).toContain('• l’existence et l’étendue de vos droits à la complémentaire santé');
    expect(text).toContain('Commission nationale de l’informatique et des libertés');
  });

  it('renders tables, French figures and « » as they read', async () => {
    const text = pdfText(await toPdf(cnilDraft(sampleFacts())));
    expect(text).toContain('Nombre de personnes concernées : 12 345 personnes');
    expect(text).toContain('Accord de prise en charge — type de soins : optique engagement:OPTI 12');
    const model: Doc = { title: 'Œuvre', author: 'x', date: new Date(0), blocks: [paragraph('« champ » … 3 € — œ')] };
    expect(pdfText(await toPdf(model))).toContain('« champ » … 3 € — œ');
  });

  it('gives the same bytes for the same document', async () => {
    const doc = cnilDraft(sampleFacts());
    expect((await toPdf(doc)).equals(await toPdf(doc))).toBe(true);
  });

  it('brings text into the standard font’s encoding rather than writing wrong glyphs', () => {
    expect(toWinAnsi('12\u202f345\u2009€')).toBe('12\u00a0345\u00a0€');
    expect(toWinAnsi('a\tb\nc')).toBe('a b c');
    expect(toWinAnsi('ok 🙂 ✓')).toBe('ok ? ?');
  });
});
