import { RempartError } from '../domain/errors/codes.js';

/**
 * Where a page of history stops: the last record's time, to the microsecond the database
 * keeps, and its id (two records may share a time). Opaque to the portal.
 */
export interface HistoryCursor {
  atMicros: number;
  id: number;
}

export function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(`${cursor.atMicros}.${cursor.id}`).toString('base64url');
}

export function decodeCursor(text: string): HistoryCursor {
  const match = /^(\d{1,16})\.(\d{1,15})$/.exec(Buffer.from(text, 'base64url').toString('latin1'));
  if (!match) throw new RempartError('FIELD_INVALID', 'curseur : reprenez celui de la page précédente, tel quel');
  return { atMicros: Number(match[1]), id: Number(match[2]) };
}
