import { heading, keyValue, list, paragraph, type Block, type Doc } from './doc.js';
import { categoryTable, checkpoint, exposureCounts, proveCommand, windowWords } from './exposure-blocks.js';
import type { NotificationFacts } from './facts.js';
import { counted, frenchDateTime, utcStamp } from './french.js';

/**
 * The draft of the insurer's notification to the CNIL (GDPR art. 33(3)), every item
 * filled from the facts: the insurer, as controller, reviews it and files it.
 */
export function cnilDraft(facts: NotificationFacts): Doc {
  const { insurer, operator } = facts;
  return {
    title: `Projet de notification à la CNIL — violation de données — ${insurer.name}`,
    author: operator.name,
    date: facts.snapshot.computedAt,
    blocks: [
      paragraph(`Projet préparé par ${operator.name}, sous-traitant de ${insurer.name} pour le tiers payant (article 28 du RGPD). ${insurer.name}, responsable du traitement, le relit et le notifie à la CNIL (article 33 du RGPD).`),
      ...landmarks(facts),
      ...nature(facts),
      ...contacts(facts),
      ...consequences(),
      ...measures(facts),
      ...informingPeople(facts),
      ...verifiability(facts),
    ],
  };
}

function landmarks(facts: NotificationFacts): Block[] {
  const { incident, insurer, operator } = facts;
  return [
    heading('Repères'),
    keyValue([
      ['Responsable du traitement', `${insurer.name} (numéro AMC ${insurer.amcNumber})`],
      ['Sous-traitant', operator.name],
      ['Incident', `n° ${incident.id} — ${incident.title}`],
      ['Violation détectée le', `${frenchDateTime(incident.detectedAt)} — ${utcStamp(incident.detectedAt)}`],
      ['Notification à la CNIL due avant le (72 heures)', `${frenchDateTime(incident.notifyBy)} — ${utcStamp(incident.notifyBy)}`],
      ['Période de la violation (fenêtre examinée)', windowWords(facts)],
    ]),
  ];
}

/** Item (a): nature, categories and approximate numbers of people and of records. */
function nature(facts: NotificationFacts): Block[] {
  return [
    heading('a) Nature de la violation'),
    paragraph(facts.incident.nature),
    paragraph('Type de violation : atteinte à la confidentialité (consultation de données par une personne non autorisée).'),
    keyValue([['Catégories de personnes concernées', `Bénéficiaires de contrats de complémentaire santé de ${facts.insurer.name} (adhérents et ayants droit)`], ...exposureCounts(facts)]),
    paragraph('Catégories de données concernées, avec le nombre de personnes pour chacune :'),
    categoryTable(facts),
    paragraph('Chaque consultation révèle que la personne est couverte par l’organisme et ses garanties pour les types de soins consultés. Le type de soins peut révéler indirectement une donnée concernant la santé (article 9 du RGPD). La réponse ne contient aucune donnée d’identité que l’auteur n’avait pas fournie : pour identifier les droits, il faut fournir le NIR, la date de naissance, le rang et le numéro d’adhérent.'),
    paragraph('La plateforme ne détient ni dossier médical, ni diagnostic, ni coordonnées bancaires des bénéficiaires, ni leurs adresses, téléphones ou e-mails.'),
  ];
}

/** Item (b): whom the CNIL and the people concerned can reach. */
function contacts(facts: NotificationFacts): Block[] {
  return [
    heading('b) Délégué à la protection des données et point de contact'),
    keyValue([
      [`Délégué à la protection des données de ${facts.insurer.name}`, facts.insurer.dpoContact],
      ['Contact sécurité du sous-traitant', `${facts.operator.name} — ${facts.operator.contact}`],
    ]),
  ];
}

/** Item (c). */
function consequences(): Block[] {
  return [
    heading('c) Conséquences probables'),
    list([
      'Hameçonnage ciblé : faux e-mails, SMS ou appels se présentant comme l’organisme, une banque ou l’Assurance Maladie (Ameli), rendus crédibles par des informations exactes (organisme, garanties).',
      'Tentatives d’usurpation d’identité, en combinant ces informations avec le NIR et la date de naissance que l’auteur connaissait déjà.',
      'Révélation indirecte d’un type de soins (par exemple : optique, dentaire), donc d’une information sur la santé.',
      'Aucune coordonnée bancaire des bénéficiaires n’est concernée : pas de risque financier direct identifié.',
    ]),
    paragraph('Appréciation proposée : risque élevé pour les droits et libertés des personnes, d’où l’information individuelle de chacune (article 34).'),
  ];
}

/** Item (d): measures taken, and those proposed to mitigate. */
function measures(facts: NotificationFacts): Block[] {
  return [
    heading('d) Mesures prises ou proposées'),
    paragraph('Mesures prises :'),
    list(facts.incident.measures),
    paragraph('Mesures proposées pour en atténuer les conséquences :'),
    list([
      `Information individuelle de chacune des ${counted(facts.exposure.beneficiaries, 'personne concernée', 'personnes concernées')} : ce qui a été vu, les risques, les précautions à prendre, les contacts.`,
      'Vigilance de l’organisme sur les demandes inhabituelles concernant ces personnes (changement de coordonnées bancaires, d’adresse ou de contrat).',
    ]),
  ];
}

function informingPeople(facts: NotificationFacts): Block[] {
  return [
    heading('Information des personnes concernées (article 34)'),
    paragraph(`Oui. ${facts.insurer.name} adresse un courrier individuel à chacune des ${counted(facts.exposure.beneficiaries, 'personne concernée', 'personnes concernées')}, en mots simples : les informations vues pour elle et à quelles dates, les risques, ce qu’elle peut faire, le contact du délégué à la protection des données et son droit de réclamation auprès de la CNIL. Le modèle de lettre est joint.`),
  ];
}

function verifiability(facts: NotificationFacts): Block[] {
  return [
    heading('Vérifiabilité des chiffres'),
    checkpoint(facts),
    paragraph(`Les nombres ci-dessus sont comptés sur le journal d’accès tel qu’il était à ce point de contrôle signé. Chaque consultation comptée peut être prouvée contre cette empreinte, sans lire le reste du journal : ${proveCommand(facts)}.`),
  ];
}
