import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heading, keyValue, list, paragraph, table, type Doc } from './doc.js';
import { escapeMarkdown } from './escape.js';
import { toMarkdown } from './markdown.js';

const doc = (title: string, ...blocks: Doc['blocks']): Doc => ({ title, author: 'Rempart', date: new Date(0), blocks });

/** What a CommonMark reader shows for escaped text: each backslash-escaped punctuation mark as itself. */
const shown = (markdown: string): string => markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('Markdown rendering', () => {
  it('renders each kind of block', () => {
    const md = toMarkdown(doc('Titre', heading('Partie'), paragraph('Texte.'), list(['un', 'deux']), table(['A', 'B'], [['1', '2']]), keyValue([['Clé', 'valeur']])));
    expect(toMarkdown(doc('T', keyValue([['a', '1'], ['b', '2']])))).toBe('# T\n\n**a** : 1\\\n**b** : 2\n');
    expect(md).toBe('# Titre\n\n## Partie\n\nTexte.\n\n- un\n- deux\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n\n**Clé** : valeur\n');
  });

  it('keeps typed text as text: no emphasis, heading, HTML, link or table break', () => {
    const md = toMarkdown(doc('# Alerte *urgente* <script>alert(1)</script>', paragraph('## faux titre\n- fausse liste [lien](javascript:x) | cellule'), table(['a|b'], [['<b>x</b>']])));
    expect(md).toContain('# \\# Alerte \\*urgente\\* \\<script\\>alert(1)\\</script\\>\n');
    expect(md).toContain('\n\n\\#\\# faux titre - fausse liste \\[lien\\](javascript:x) \\| cellule\n');
    expect(md).toContain('| a\\|b |');
    expect(md).toContain('| \\<b\\>x\\</b\\> |');
    expect(md).not.toMatch(/(^|[^\\])<script/);
  });

  it('escapes what only counts at the start of a line', () => {
    expect(escapeMarkdown('- a')).toBe('\\- a');
    expect(escapeMarkdown('+ a')).toBe('\\+ a');
    expect(escapeMarkdown('12. a')).toBe('12\\. a');
    expect(escapeMarkdown('3) a')).toBe('3\\) a');
    expect(escapeMarkdown('    code')).toBe('code');
  });

  it('property: any text stays one line, with no live markup, and reads back as typed', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => {
      const escaped = escapeMarkdown(text);
      expect(escaped).not.toMatch(/[\r\n]/);
      expect(escaped).not.toMatch(/(^|[^\\])(\\\\)*[`*_[\]<>#|~&]/);
      expect(shown(escaped)).toBe(text.replace(/[^\S\u00a0\u2007\u202f]+/g, ' ').replace(/^ | $/g, ''));
      expect(toMarkdown(doc('t', paragraph(text))).split('\n\n')).toHaveLength(2);
    }));
  });
});
