import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMemberNumber, generateNir } from '../../domain/identifiers/generate.js';
import { seededRng } from '../../domain/random.js';
import { LocalMasterKey, Vault } from '../../vault/index.js';

export const AMC = '912345678';

export function testVault(): Vault {
  return new Vault(new LocalMasterKey(randomBytes(32)));
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'rempart-test-'));
}

export function catalogueJson(amcNumber = AMC): string {
  const guarantees = [
    { domaine: 'PHAR', expression: '100% BR' },
    { domaine: 'MEDE', expression: '200% BR' },
    { domaine: 'OPTI', expression: '100% BR + 200 €', renouvellementMois: 24, cent100Sante: true },
  ];
  return JSON.stringify({
    format: 'rempart.catalogue/1',
    organisme: { numeroAmc: amcNumber, nom: 'Mutuelle des Essais', type: 'mutuelle' },
    conventions: [{ code: 'SP', libelle: 'Tiers payant conventionnel' }],
    produits: [
      { code: 'ESS', libelle: 'Essentiel', niveau: 'entree', responsable: true, versions: [{ version: 1, debut: '2026-01-01', fin: null, garanties: guarantees }] },
    ],
  });
}

/** A synthetic beneficiary line's fields, valid unless a test spoils one. */
export interface Person {
  adherent: string;
  nir: string;
  date_naissance: string;
  rang: string;
  qualite: string;
  nom: string;
  prenom: string;
}

export function people(count: number, seed = 7): Person[] {
  const rng = seededRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const birth = `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`;
    return {
      adherent: generateMemberNumber(rng),
      nir: generateNir(rng, { sex: i % 2 === 0 ? 'male' : 'female', birthDate: birth }),
      date_naissance: birth,
      rang: '1',
      qualite: '0',
      nom: `NOM${i}`,
      prenom: `Prénom${i}`,
    };
  });
}

const fullColumns = ['adherent', 'produit', 'convention', 'debut_contrat', 'fin_contrat', 'nir', 'date_naissance', 'rang', 'qualite', 'nom', 'prenom', 'droits'];

export function fullFile(persons: readonly Person[], date = '2026-11-22', amcNumber = AMC): string {
  const lines = persons.map((p) =>
    [p.adherent, 'ESS', 'SP', '2026-01-01', '', p.nir, p.date_naissance, p.rang, p.qualite, p.nom, p.prenom, 'PHAR:2026-01-01: OPTI:2026-01-01:2026-12-31'].join(';'),
  );
  return [`#rempart.beneficiaires/1;mode=complet;organisme=${amcNumber};date=${date}`, fullColumns.join(';'), ...lines, `#FIN;${lines.length}`, ''].join('\n');
}

export function writeFixture(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
