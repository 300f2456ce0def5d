import { describe, expect, it } from 'vitest';
import { describeLoad, needsAction } from './load.js';

describe('the summary a person reads after a load', () => {
  const base = { file: 'f.csv', kind: 'beneficiaires', rejectsPath: 'rapports/f.csv.rejets.csv', removalsPath: '', seconds: 2 };
  const applied = { ...base, status: 'applied' as const, lines: 100, applied: 90, unchanged: 7, rejected: 3, replay: false };
  const noRemovals = { removed: 0, suspendedRemovals: 0, unidentifiedLines: 0 };

  it('gives the counts, the rate, the removals and where both reports are', () => {
    const summary = { ...applied, ...noRemovals, removed: 2, removalsPath: 'rapports/f.csv.radiations.csv' };
    expect(describeLoad(summary)).toBe(
      'f.csv (beneficiaires) : 100 lignes en 2.0 s (50 lignes/s) : 90 appliquées, 7 inchangées, 3 rejetées, 2 radiés (absents du fichier complet).' +
        ' Rapport : rapports/f.csv.rejets.csv ; radiations : rapports/f.csv.radiations.csv',
    );
    expect(needsAction(summary)).toBe(false);
  });

  it('says why removals were suspended, what to do, and fails so that someone looks', () => {
    const summary = { ...applied, ...noRemovals, suspendedRemovals: 12, unidentifiedLines: 3, removalsPath: 'rapports/f.csv.radiations.csv' };
    const text = describeLoad(summary);
    expect(text).toContain('RADIATIONS SUSPENDUES [REMOVALS_SUSPENDED] : 12 radiations non appliquées, car 3 lignes rejetées ne laissent lire aucun identifiant');
    expect(text).toContain('--apply-removals');
    expect(text).toContain('radiations suspendues : rapports/f.csv.radiations.csv');
    expect(text).not.toContain('radiés');
    expect(needsAction(summary)).toBe(true);
  });

  it('speaks of ended activities for the directory, and of a replay', () => {
    const summary = { ...applied, ...noRemovals, kind: 'professionnels', removed: 4, replay: true, removalsPath: 'rapports/a.csv.fins-activite.csv' };
    const text = describeLoad(summary);
    expect(text).toContain("4 activités terminées (absentes du fichier complet)");
    expect(text).toContain("fins d'activité : rapports/a.csv.fins-activite.csv");
    expect(text).toContain('Rejoué à la demande (--replay)');
  });

  it('says plainly that a refused file changed nothing, with its code and the removals it planned', () => {
    const refused = { ...base, status: 'refused' as const, code: 'FILE_MASS_REMOVAL' as const, message: 'Fichier complet refusé', removalsPath: 'rapports/f.csv.radiations.csv' };
    const text = describeLoad(refused);
    expect(text).toContain('REFUSÉ [FILE_MASS_REMOVAL]');
    expect(text).toContain("rien n'a été modifié");
    expect(text).toContain('radiations prévues : rapports/f.csv.radiations.csv');
    expect(needsAction(refused)).toBe(true);
    expect(describeLoad({ ...base, rejectsPath: '', status: 'refused', code: 'FILE_UNREADABLE', message: 'illisible' })).not.toContain('Rapport');
  });

  it('says when a file was already applied, and when its removals still wait', () => {
    const loadedAt = new Date();
    const done = { ...base, status: 'already_loaded' as const, loadedAt, suspendedRemovals: 0 };
    expect(describeLoad(done)).toBe(`f.csv (beneficiaires) : déjà chargé le ${loadedAt.toISOString()} — rien n'a été modifié.`);
    expect(needsAction(done)).toBe(false);
    const waiting = { ...done, suspendedRemovals: 5 };
    expect(describeLoad(waiting)).toContain('5 radiations y restent suspendues : relancez avec --apply-removals.');
    expect(needsAction(waiting)).toBe(true);
  });
});
