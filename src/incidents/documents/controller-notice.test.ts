import { describe, expect, it } from 'vitest';
import { controllerNotice } from './controller-notice.js';
import { toMarkdown } from './markdown.js';
import { sampleFacts } from './test-support/facts.js';

const facts = sampleFacts();
const md = toMarkdown(controllerNotice(facts));

describe('the processor’s notice to the insurer (GDPR art. 33(2))', () => {
  it('says who notifies whom, about what, and by when the insurer must notify the CNIL', () => {
    expect(md).toContain('article 33, paragraphe 2, du RGPD');
    expect(md).toContain('**De** : Rempart Opérations — securite@rempart.example, 01 23 45 67 89');
    expect(md).toContain('Mutuelle des Tilleuls (numéro AMC 12345678)');
    expect(md).toContain('**Violation détectée le** : 3 décembre 2026 à 14 h 05 (heure de Paris)');
    expect(md).toContain('**Votre notification à la CNIL est due avant le** : 6 décembre 2026 à 14 h 05 (heure de Paris)');
    expect(md).toContain(facts.incident.nature);
  });

  it('gives this insurer’s scope and what was done', () => {
    expect(md).toContain('## Périmètre pour Mutuelle des Tilleuls');
    expect(md).toContain('12\u202f345 personnes');
    expect(md).toContain('| Calcul de la part prise en charge par la complémentaire — type de soins : pharmacie | coverage:PHAR | 345 |');
    for (const measure of facts.incident.measures) expect(md).toContain(`- ${measure}`);
  });

  it('names the snapshot and how to verify it against the witnesses and the signed tree', () => {
    expect(md).toContain('**Instantané** : n° 42, calculé le 3 décembre 2026 à 15 h 00 (heure de Paris)');
    expect(md).toContain(facts.snapshot.rootHash);
    expect(md).toContain('rempart audit verify --witness \\<dossier de votre témoin\\>');
    expect(md).toContain('rempart audit witness');
    expect(md).toContain('rempart audit consistency --from \\<taille gardée\\> --to 1234567');
    expect(md).toContain('rempart audit prove --record \\<numéro de l’accès\\> --size 1234567');
  });

  it('lists the files delivered and the operator’s contact', () => {
    expect(md).toContain('Le fichier des membres concernés (12\u202f345 lignes)');
    expect(md).toContain('La lettre individuelle à chaque personne concernée, et son modèle pour relecture.');
    expect(md).toContain('Le projet de notification à la CNIL, rempli.');
    expect(md).toMatch(/## Contact\n\nRempart Opérations : securite@rempart\.example/);
  });
});
