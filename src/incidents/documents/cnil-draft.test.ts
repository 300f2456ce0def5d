import { describe, expect, it } from 'vitest';
import { cnilDraft } from './cnil-draft.js';
import { toMarkdown } from './markdown.js';
import { sampleFacts } from './test-support/facts.js';

const facts = sampleFacts();
const md = toMarkdown(cnilDraft(facts));
const section = (title: string): string => md.split('\n## ').find((part) => part.startsWith(title)) ?? '';

describe('the draft of the CNIL notification (GDPR art. 33(3))', () => {
  it('(a) states the nature, the categories and the numbers of people and records, in French figures', () => {
    const a = section('a) Nature de la violation');
    expect(a).toContain(facts.incident.nature);
    expect(a).toContain('**Nombre de personnes concernées** : 12\u202f345 personnes');
    expect(a).toContain('**Nombre d’enregistrements concernés** : 23\u202f456 consultations enregistrées');
    expect(a).toContain('| Identification des droits : existence et étendue des droits à la complémentaire santé — type de soins : dentaire | rights\\_check:DENT | 1\u202f200 |');
    expect(a).toContain('| Accord de prise en charge — type de soins : optique | engagement:OPTI | 12 |');
    expect(a).toContain('Bénéficiaires de contrats de complémentaire santé de Mutuelle des Tilleuls');
  });

  it('(b) names the DPO and the processor’s contact', () => {
    const b = section('b) Délégué à la protection des données');
    expect(b).toContain('dpo@tilleuls.example, 02 98 76 54 32');
    expect(b).toContain('Rempart Opérations — securite@rempart.example, 01 23 45 67 89');
  });

  it('(c) describes the likely consequences', () => {
    const c = section('c) Conséquences probables');
    expect(c).toMatch(/Hameçonnage ciblé : faux e-mails, SMS ou appels/);
    expect(c).toContain('usurpation d’identité');
    expect(c).toContain('type de soins');
  });

  it('(d) lists the measures taken and those proposed to mitigate', () => {
    const d = section('d) Mesures prises ou proposées');
    for (const measure of facts.incident.measures) expect(d).toContain(`- ${measure}`);
    expect(d).toContain('Information individuelle de chacune des 12\u202f345 personnes concernées');
  });

  it('gives detection, deadline, window, art. 34 information and the signed checkpoint', () => {
    expect(md).toContain('**Violation détectée le** : 3 décembre 2026 à 14 h 05 (heure de Paris) — 2026-12-03 13:05:00 UTC');
    expect(md).toContain('**Notification à la CNIL due avant le (72 heures)** : 6 décembre 2026 à 14 h 05 (heure de Paris)');
    expect(md).toContain('du 1er décembre 2026 à 00 h 00 (heure de Paris) au 3 décembre 2026 à 14 h 00 (heure de Paris)');
    expect(section('Information des personnes concernées (article 34)')).toMatch(/Oui\. Mutuelle des Tilleuls adresse un courrier individuel à chacune des 12\u202f345 personnes/);
    const proof = section('Vérifiabilité des chiffres');
    expect(proof).toContain('arbre de 1\u202f234\u202f567 feuilles (taille 1234567)');
    expect(proof).toContain(`**Empreinte racine de l’arbre** : ${facts.snapshot.rootHash}`);
    expect(proof).toContain('rempart audit prove --record \\<numéro de l’accès\\> --size 1234567');
  });
});
