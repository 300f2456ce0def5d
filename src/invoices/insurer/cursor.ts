import { RempartError } from '../../domain/errors/codes.js';

/** Where a page of an insurer's invoices stops: the last row's decision time in microseconds, and its number (two decisions may share a time). */
export interface InvoiceCursor {
  micros: number;
  number: string;
}

export function encodeInvoiceCursor(cursor: InvoiceCursor): string {
  return Buffer.from(`${cursor.micros}/${cursor.number}`).toString('base64url');
}

/** Opaque to the agent: anything but a cursor this platform gave is refused, never read as a position. */
export function decodeInvoiceCursor(text: string): InvoiceCursor {
  const match = /^(\d{1,16})\/(F[0-9]{8,10}-[A-Z2-7]{16})$/.exec(Buffer.from(text, 'base64url').toString('latin1'));
  if (!match) throw new RempartError('FIELD_INVALID', 'cursor : reprenez celui de la page précédente, tel quel');
  return { micros: Number(match[1]), number: match[2] ?? '' };
}
