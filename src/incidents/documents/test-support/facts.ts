import type { MemberFacts, NotificationFacts } from '../facts.js';

/** Synthetic facts (never real people): an insurer whose members were checked in pharmacy, optics and dental care. */
export function sampleFacts(): NotificationFacts {
  return {
    incident: {
      id: 7,
      title: 'Compte de pharmacie hameçonné',
      detectedAt: new Date('2026-12-03T13:05:00Z'),
      notifyBy: new Date('2026-12-06T13:05:00Z'),
      windowFrom: new Date('2026-11-30T23:00:00Z'),
      windowTo: new Date('2026-12-03T13:00:00Z'),
      nature: 'Les identifiants d’un compte de professionnel de santé ont été volés puis utilisés pour consulter des droits.',
      measures: ['Le compte utilisé a été suspendu le 3 décembre 2026.', 'Les sessions ouvertes avec ce compte ont été fermées.'],
    },
    operator: { name: 'Rempart Opérations', contact: 'securite@rempart.example, 01 23 45 67 89' },
    insurer: { amcNumber: '12345678', name: 'Mutuelle des Tilleuls', dpoContact: 'dpo@tilleuls.example, 02 98 76 54 32' },
    snapshot: { id: 42, computedAt: new Date('2026-12-03T14:00:00Z'), treeSize: 1_234_567, rootHash: 'ab'.repeat(32) },
    exposure: {
      beneficiaries: 12_345,
      records: 23_456,
      firstAt: new Date('2026-12-01T07:30:00Z'),
      lastAt: new Date('2026-12-03T12:40:00Z'),
      categories: [
        { category: 'rights_check:PHAR', beneficiaries: 12_000 },
        { category: 'rights_check:DENT', beneficiaries: 1_200 },
        { category: 'coverage:PHAR', beneficiaries: 345 },
        { category: 'engagement:OPTI', beneficiaries: 12 },
      ],
    },
  };
}

export function sampleMember(): MemberFacts {
  return {
    memberNumber: 'A0012345',
    rank: '01',
    categories: ['coverage:PHAR', 'rights_check:PHAR'],
    firstAt: new Date('2026-12-01T07:30:00Z'),
    lastAt: new Date('2026-12-01T07:31:00Z'),
  };
}
