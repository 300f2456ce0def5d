import { describe, expect, it } from 'vitest';
import { toMarkdown } from './markdown.js';
import { memberLetter, memberLetterModel } from './member-letter.js';
import { sampleFacts, sampleMember } from './test-support/facts.js';

const facts = sampleFacts();

describe('the letter to a member (GDPR art. 34)', () => {
  const optician = { memberNumber: 'B777', rank: '02', categories: ['engagement:OPTI', 'rights_check:OPTI'], firstAt: new Date('2026-12-01T09:00:00Z'), lastAt: new Date('2026-12-02T16:00:00Z') };
  const md = toMarkdown(memberLetter(facts, optician));

  it('says in words what was seen for this person, and when', () => {
    expect(md).toContain('- l’existence et l’étendue de vos droits à la complémentaire santé (quelqu’un a vérifié que votre complémentaire vous couvre, et pour quels soins) — type de soins : optique');
    expect(md).toContain('- un accord de prise en charge — type de soins : optique');
    expect(md).toContain('consultées sans autorisation du 1er décembre 2026 au 2 décembre 2026.');
    expect(md).toContain('Le type de soins (pour vous : optique) peut laisser deviner un soin prévu');
    expect(md).toContain('Donnez-lui cette référence : adhérent n° B777, rang 02.');
  });

  it('is honest about what the platform does not hold, and what a rights check implies', () => {
    expect(md).toContain('ne contient pas votre dossier médical ni vos diagnostics');
    expect(md).toContain('vos coordonnées bancaires');
    expect(md).toContain('il faut donner votre numéro de sécurité sociale et votre date de naissance');
  });

  it('warns, advises and gives the contacts and the right to complain', () => {
    expect(md).toContain('se faire passer pour Mutuelle des Tilleuls, pour votre banque ou pour l’Assurance Maladie (Ameli)');
    expect(md).toContain('Ne donnez jamais vos codes, vos mots de passe ou vos coordonnées bancaires au téléphone');
    expect(md).toContain('33700');
    expect(md).toContain('cybermalveillance.gouv.fr');
    expect(md).toContain('porter plainte');
    expect(md).toContain('dpo@tilleuls.example, 02 98 76 54 32');
    expect(md).toContain('réclamation auprès de la CNIL');
    for (const measure of facts.incident.measures) expect(md).toContain(measure);
  });

  it('shows nothing internal and nothing about anyone else', () => {
    expect(md).not.toContain(facts.snapshot.rootHash);
    expect(md).not.toMatch(/instantané|empreinte|rights_check|OPTI\b|\bn° (7|42)\b/i);
    expect(md).not.toContain(facts.incident.title);
    expect(md).not.toMatch(/\bpharmacie\b|dentaire|12\u202f345|calcul de la part/);
    expect(md).not.toContain(sampleMember().memberNumber);
  });

  it('leaves out the rights-check sentence when no rights were checked', () => {
    const calculation = toMarkdown(memberLetter(facts, { ...sampleMember(), categories: ['coverage'] }));
    expect(calculation).not.toContain('numéro de sécurité sociale');
    expect(calculation).not.toContain('pour vous :');
    expect(calculation).toContain('le 1er décembre 2026.');
  });
});

describe('the model letter for the insurer’s review', () => {
  const md = toMarkdown(memberLetterModel(facts));

  it('shows the personal parts as « » fields and every wording this insurer’s members may get', () => {
    expect(md).toContain('adhérent n° « numéro d’adhérent », rang « rang »');
    expect(md).toContain('du « date de la première consultation » au « date de la dernière consultation »');
    expect(md).toContain('types de soins : pharmacie, dentaire');
    expect(md).toContain('- un accord de prise en charge — type de soins : optique');
    expect(md).not.toContain(facts.snapshot.rootHash);
  });
});
