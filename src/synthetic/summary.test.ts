import { describe, expect, it } from 'vitest';
import { summarizeManifest } from './summary.js';

describe('summarizeManifest', () => {
  it('describes every file in French', () => {
    const lines = summarizeManifest(
      {
        seed: 'demo',
        date: '2026-03-15',
        format: 'csv',
        files: [
          { kind: 'catalogue', path: 'catalogue-12345678.json', organisme: '12345678', lines: 7 },
          { kind: 'beneficiaires', path: 'beneficiaires-12345678.csv', organisme: '12345678', lines: 12_500 },
          { kind: 'professionnels', path: 'professionnels.csv', lines: 2_150 },
        ],
      },
      'data/generated',
    );
    expect(lines[0]).toBe("Jeu de données synthétique écrit dans data/generated (graine « demo », date d'extraction 2026-03-15, format csv) :");
    expect(lines[1]).toBe('  catalogue-12345678.json     catalogue, organisme 12345678 : 7 produits');
    expect(lines[2]).toBe('  beneficiaires-12345678.csv  bénéficiaires, organisme 12345678 : 12\u202f500 lignes');
    expect(lines[3]).toBe('  professionnels.csv          professionnels : 2\u202f150 activités');
    expect(lines.slice(4)).toEqual(['Total : 12\u202f500 bénéficiaires, 1 organisme complémentaire.', 'Manifeste : data/generated/manifest.json']);
  });
});
