import type { Block, Doc } from './doc.js';
import { escapeMarkdown as text } from './escape.js';

/** The document as CommonMark (tables as GitHub does them), every piece of text escaped. */
export function toMarkdown(doc: Doc): string {
  return `${[`# ${text(doc.title)}`, ...doc.blocks.map(block)].join('\n\n')}\n`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `## ${text(b.text)}`;
    case 'paragraph':
      return text(b.text);
    case 'list':
      return b.items.map((item) => `- ${text(item)}`).join('\n');
    case 'table':
      return [row(b.header), `|${' --- |'.repeat(b.header.length)}`, ...b.rows.map(row)].join('\n');
    case 'keyValue':
      // Hard line breaks rather than a list: a list right after would otherwise merge into it.
      return b.pairs.map(([key, value]) => `**${text(key)}** : ${text(value)}`).join('\\\n');
  }
}

function row(cells: string[]): string {
  return `| ${cells.map(text).join(' | ')} |`;
}
