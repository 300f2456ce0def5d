import { describe, expect, it } from 'vitest';
import { describeLoad } from './load.js';

describe('the summary a person reads after a load', () => {
  const base = { file: 'f.csv', kind: 'beneficiaires', rejectsPath: 'f.csv.rejets.csv', seconds: 2 };

  it('gives the counts, the rate and where the rejects are', () => {
    const text = describeLoad({ ...base, status: 'applied', lines: 100, applied: 90, unchanged: 7, rejected: 3, removed: 2 });
    expect(text).toBe(
      'f.csv (beneficiaires) : 100 lignes en 2.0 s (50 lignes/s) : 90 appliquées, 7 inchangées, 3 rejetées, 2 radiés (absents du fichier complet). Rapport : f.csv.rejets.csv',
    );
  });

  it('says plainly that a refused file changed nothing, with its code', () => {
    const text = describeLoad({ ...base, status: 'refused', code: 'FILE_TRUNCATED', message: 'Fichier refusé : fichier tronqué' });
    expect(text).toContain('REFUSÉ [FILE_TRUNCATED]');
    expect(text).toContain("rien n'a été modifié");
    expect(describeLoad({ ...base, rejectsPath: '', status: 'refused', code: 'FILE_UNREADABLE', message: 'illisible' })).not.toContain('Rapport');
  });

  it('says when a file was already applied', () => {
    const text = describeLoad({ ...base, status: 'already_loaded', loadedAt: new Date('2026-11-22T10:00:00Z') });
    expect(text).toBe("f.csv (beneficiaires) : déjà chargé le 2026-11-22T10:00:00.000Z — rien n'a été modifié.");
  });
});
