/**
 * The characters every bank of the SEPA zone must accept (EPC's SCT implementation
 * guidelines, "Latin character set"): a-z A-Z 0-9 / - ? : ( ) . , ' + and space. A name
 * outside it may be refused or mangled by the payee's bank, so names and remittance texts
 * are written in it: French accents lose their accent (É → E), ligatures are spelt out, the
 * typographic apostrophe and dashes become their ASCII twins, and anything else is dropped.
 */
const SPELT_OUT: Readonly<Record<string, string>> = {
  'œ': 'oe',
  'Œ': 'OE',
  'æ': 'ae',
  'Æ': 'AE',
  'ß': 'ss',
  '’': "'",
  '‘': "'",
  'ʼ': "'",
  '–': '-',
  '—': '-',
  '‑': '-',
};

export function toSepaLatin(text: string): string {
  return text
    .replace(/[œŒæÆß’‘ʼ–—‑]/g, (c) => SPELT_OUT[c] ?? '')
    // NFD splits an accented letter into the letter and its accent, which the next step drops.
    .normalize('NFD')
    .replace(/[^a-zA-Z0-9/\-?:().,'+ ]/g, (c) => (/\s/.test(c) ? ' ' : ''))
    .replace(/ {2,}/g, ' ')
    .trim();
}
