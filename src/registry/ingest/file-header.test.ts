import { describe, expect, it } from 'vitest';
import { todayUtc } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { parseHeaderLine } from './file-header.js';

describe('the identification line', () => {
  it('gives the date a file describes, checked on the calendar: a day that does not exist is refused with a code', () => {
    const year = todayUtc().slice(0, 4);
    expect(parseHeaderLine(`#rempart.professionnels/1;date=${todayUtc()}`).date).toBe(todayUtc());
    expect(() => parseHeaderLine(`#rempart.professionnels/1;date=${year}-02-30`)).toThrow(new RempartError('FILE_HEADER', 'date d’extraction absente ou invalide'));
  });
});
