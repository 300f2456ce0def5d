import { inflateSync } from 'node:zlib';

/**
 * The text a PDF from `toPdf` shows, for tests: pdfkit writes each line as a TJ array of
 * hex strings in WinAnsi, inside Flate streams. Lines are joined with spaces, no-break
 * spaces read as spaces. Only as much PDF as pdfkit writes, not a general reader.
 */
export function pdfText(pdf: Buffer): string {
  const lines = streams(pdf).flatMap((content) => [...content.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((m) => decodeLine(m[1] ?? '')));
  return lines.join(' ').replace(/[\s\u00a0]+/g, ' ');
}

function streams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  return [...raw.matchAll(/\bstream\r?\n([\s\S]*?)\r?\nendstream\b/g)].map((m) => inflateOrRaw(Buffer.from(m[1] ?? '', 'latin1')));
}

function inflateOrRaw(bytes: Buffer): string {
  try {
    return inflateSync(bytes).toString('latin1');
  } catch {
    return bytes.toString('latin1');
  }
}

function decodeLine(tj: string): string {
  return [...tj.matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => decodeHex(m[1] ?? '')).join('');
}

/** WinAnsi's 0x80–0x9F block, where it departs from Latin-1. */
const winAnsiHigh: Record<number, string> = {
  0x80: '€', 0x85: '…', 0x8c: 'Œ', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—', 0x9c: 'œ',
};

function decodeHex(hex: string): string {
  const codes = hex.match(/../g) ?? [];
  return codes.map((pair) => {
    const code = parseInt(pair, 16);
    return winAnsiHigh[code] ?? String.fromCharCode(code);
  }).join('');
}
