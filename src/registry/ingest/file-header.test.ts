import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { RempartError } from '../../domain/errors/codes.js';
import { parseHeaderLine } from './file-header.js';

describe('the identification line', () => {
  it('gives the date a file describes, checked on the calendar: a day that does not exist is refused with a code', () => {
    const year = today().slice(0, 4);
    expect(parseHeaderLine(`#rempart.professionnels/1;date=${today()}`).date).toBe(today());
    expect(() => parseHeaderLine(`#rempart.professionnels/1;date=${year}-02-30`)).toThrow(new RempartError('FILE_HEADER', 'date d’extraction absente ou invalide'));
  });
});
