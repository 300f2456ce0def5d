import { describe, expect, it } from 'vitest';
import { readLines, type LineBody } from './coverage-request.js';

const line = (fields: Partial<LineBody>): LineBody => ({ acte: 'X', domaine: 'OPTI', quantite: 1, prix: 10_000, base: 5, tauxAmo: 60, ...fields });

describe('the engine\'s lines from the API\'s', () => {
  it('reads what an optical or hearing line sells', () => {
    const read = readLines([
      line({ dispositif: 'monture' }),
      line({ dispositif: 'verre_tres_complexe' }),
      line({ domaine: 'AUDI', dispositif: 'aide_auditive' }),
      line({ dispositif: 'autre' }),
    ]);
    expect(read.map((l) => l.device)).toEqual([
      { kind: 'frame' },
      { kind: 'lens', complexity: 'very_complex' },
      { kind: 'hearing_aid' },
      { kind: 'other' },
    ]);
  });

  it('leaves OPTAM adherence unsaid when the request does not say it (the engine then caps the dépassement)', () => {
    const [unsaid, adherent] = readLines([line({ domaine: 'MEDE' }), line({ domaine: 'MEDE', optam: true })]);
    expect(unsaid && 'optam' in unsaid).toBe(false);
    expect(adherent?.optam).toBe(true);
  });

  it('reads the side of an eye or an ear: D right, G left, none when unsaid', () => {
    const read = readLines([line({ cote: 'D' }), line({ domaine: 'AUDI', cote: 'G' }), line({})]);
    expect(read.map((l) => l.side)).toEqual(['right', 'left', undefined]);
    expect('side' in (read[2] ?? {})).toBe(false);
  });
});
