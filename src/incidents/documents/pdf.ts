import PDFDocument from 'pdfkit';
import type { Block, Doc } from './doc.js';
import { toWinAnsi as t } from './win-ansi.js';

const regular = 'Helvetica';
const bold = 'Helvetica-Bold';
const body = 10.5;
const bulletIndent = 14;

/**
 * The document as an A4 PDF in the standard Helvetica font (nothing embedded, nothing
 * random): the same document gives the same bytes, since the creation date is the
 * document's own.
 */
export function toPdf(doc: Doc): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 56,
    lang: 'fr-FR',
    displayTitle: true,
    info: { Title: t(doc.title), Author: t(doc.author), Creator: 'Rempart', Producer: 'Rempart', CreationDate: doc.date },
  });
  const bytes = collect(pdf);
  pdf.font(bold).fontSize(16).text(t(doc.title)).moveDown(0.8);
  for (const b of doc.blocks) render(pdf, b);
  pdf.end();
  return bytes;
}

function collect(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

function render(pdf: PDFKit.PDFDocument, b: Block): void {
  switch (b.kind) {
    case 'heading':
      pdf.moveDown(0.4).font(bold).fontSize(12.5).text(t(b.text)).moveDown(0.3);
      break;
    case 'paragraph':
      pdf.font(regular).fontSize(body).text(t(b.text)).moveDown(0.5);
      break;
    case 'list':
      for (const item of b.items) bullet(pdf, t(item));
      pdf.moveDown(0.3);
      break;
    case 'table':
      renderTable(pdf, b.header, b.rows);
      break;
    case 'keyValue':
      for (const [key, value] of b.pairs) pdf.font(bold).fontSize(body).text(`${t(key)} : `, { continued: true }).font(regular).text(t(value));
      pdf.moveDown(0.5);
      break;
  }
}

/** A bullet with the item's lines hanging beside it, not under it. */
function bullet(pdf: PDFKit.PDFDocument, text: string): void {
  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right - bulletIndent;
  pdf.font(regular).fontSize(body);
  if (pdf.y + pdf.heightOfString(text, { width }) > pdf.page.maxY()) pdf.addPage();
  const top = pdf.y;
  pdf.text('•', left, top);
  pdf.text(text, left + bulletIndent, top, { width }).moveDown(0.2);
  pdf.x = left;
}

function renderTable(pdf: PDFKit.PDFDocument, header: string[], rows: string[][]): void {
  const head = header.map((text) => ({ text: t(text), font: { src: bold }, type: 'TH' as const }));
  // The first column carries the words, the others short codes and figures.
  const columnStyles = header.map((_, i) => (i === 0 ? '*' : 100));
  pdf.font(regular).fontSize(9.5).table({ columnStyles, data: [head, ...rows.map((cells) => cells.map(t))] });
  pdf.x = pdf.page.margins.left;
  pdf.moveDown(0.8);
}
