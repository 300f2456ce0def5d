/**
 * The PDF's standard fonts (Helvetica) are encoded in WinAnsi: Latin-1 plus a few
 * characters French needs (œ, ’, «, », …, –, —, €). pdfkit writes any other character as
 * a wrong code, so text is brought into that set first: the thin spaces French number
 * formatting uses become no-break spaces, and anything else unknown a '?', visibly.
 */
const beyondLatin1 = new Set('ƒ–—‘’‚“”„†‡•…€‰‹›ˆ™Œœ˜ŠšŸŽž');
const spaces = /[\u2007\u2009\u202f]/g;
const hyphens = /[\u2010\u2011]/g;

export function toWinAnsi(text: string): string {
  const mapped = text.replace(spaces, '\u00a0').replace(hyphens, '-').replace(/[^\S\u00a0]+/g, ' ');
  return [...mapped].map(winAnsiChar).join('');
}

function winAnsiChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const latin1 = (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff);
  return latin1 || beyondLatin1.has(char) ? char : '?';
}
