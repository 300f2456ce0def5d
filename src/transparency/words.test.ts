import { describe, expect, it } from 'vitest';
import type { AccessEntry } from './history.js';
import { describeEntry, frenchDay } from './words.js';

const pharmacy: AccessEntry = {
  id: 1,
  at: new Date('2026-12-03T13:05:00Z'),
  atMicros: 0,
  purpose: 'rights_check',
  disclosed: ['PHAR'],
  result: 'covered',
  professional: { firstName: 'Jeanne', lastName: 'Martin', professionCode: '21', specialty: null },
  site: { name: 'Pharmacie du Parc', kind: 'officine', department: '69' },
};

describe('an access record in words, as the insured person reads it', () => {
  it('says who, where, when (French time), what and the answer in one sentence', () => {
    const described = describeEntry(pharmacy);
    expect(described.sentence).toBe(
      'Le 3 décembre 2026 à 14 h 05, Jeanne Martin, pharmacien, à la pharmacie « Pharmacie du Parc » (Rhône), a vérifié vos droits pour : pharmacie. Réponse : droits ouverts.',
    );
    expect([described.day, described.time]).toEqual(['2026-12-03', '14:05']);
  });

  it('uses the French day, summer time and the first of the month included', () => {
    expect(describeEntry({ ...pharmacy, at: new Date('2026-06-30T22:30:00Z') }).day).toBe('2026-07-01');
    expect(frenchDay(new Date('2026-06-30T22:30:00Z'))).toBe('1er juillet 2026');
  });

  it('names a calculation by a radiologist, a refusal without domains, staff, and an unknown purpose plainly', () => {
    const radiology = describeEntry({ ...pharmacy, purpose: 'coverage', disclosed: ['RADL'], professional: { firstName: 'Paul', lastName: 'Roux', professionCode: '10', specialty: 'SM26' }, site: { name: 'Imagerie Sud', kind: 'cabinet', department: '2A' } });
    expect(radiology.sentence).toContain('Paul Roux, médecin radiologue, au cabinet « Imagerie Sud » (Corse-du-Sud), a calculé le remboursement de votre complémentaire pour : radiologie.');
    expect(describeEntry({ ...pharmacy, disclosed: [], result: 'not_covered' }).sentence).toContain('a vérifié vos droits. Réponse : réponse « non couvert », sans autre détail.');
    expect(describeEntry({ ...pharmacy, professional: null, site: null, purpose: 'member_export', disclosed: [], result: 'approved' }).sentence).toMatch(/^Le 3 décembre 2026 à 14 h 05, un membre de l’équipe de sécurité de la plateforme a obtenu/);
    expect(describeEntry({ ...pharmacy, purpose: 'autre_chose', disclosed: [] }).purpose).toBe('a consulté votre dossier');
  });
});
