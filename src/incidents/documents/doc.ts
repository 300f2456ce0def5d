/**
 * A document as a short list of plain-text blocks, so that the same words go to Markdown
 * and to PDF. Text is never markup: each renderer escapes or encodes it itself.
 */
export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'keyValue'; pairs: [key: string, value: string][] };

export interface Doc {
  title: string;
  author: string;
  /** The date the document stands at (its snapshot's): stamped in the PDF so that the same facts give the same bytes. */
  date: Date;
  blocks: Block[];
}

export const heading = (text: string): Block => ({ kind: 'heading', text });
export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const list = (items: string[]): Block => ({ kind: 'list', items });
export const table = (header: string[], rows: string[][]): Block => ({ kind: 'table', header, rows });
export const keyValue = (pairs: [string, string][]): Block => ({ kind: 'keyValue', pairs });
