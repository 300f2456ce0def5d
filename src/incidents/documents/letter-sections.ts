import { heading, list, paragraph, type Block } from './doc.js';
import type { NotificationFacts } from './facts.js';
import { frenchDate } from './french.js';

/**
 * The sections of the letter to a member (GDPR art. 34), in plain French: short
 * sentences, everyday words, one idea each. « Nous » is the insurer, who signs it.
 */

export function whatHappened(facts: NotificationFacts, period: string): Block[] {
  const { insurer, operator, incident } = facts;
  return [
    heading('Ce qui s’est passé'),
    paragraph(`${insurer.name} confie le tiers payant à ${operator.name}. Le tiers payant vous évite d’avancer les frais chez le pharmacien, le médecin ou l’opticien.`),
    paragraph(incident.nature),
    paragraph(`Des informations sur vous ont été consultées sans autorisation ${period}.`),
    paragraph(`Le problème a été découvert le ${frenchDate(incident.detectedAt)}.`),
  ];
}

/** A rights check takes the NIR and the birth date (THREATS.md point 2): whoever made one already had them. */
export const rightsCheckNeeds = 'Pour vérifier vos droits, il faut donner votre numéro de sécurité sociale et votre date de naissance. La personne connaissait donc déjà ces informations.';

/** The care domain checked hints at care: said plainly, with the person's own types of care. */
export function careTypeHint(careTypes: string): string {
  return `Le type de soins (pour vous : ${careTypes}) peut laisser deviner un soin prévu, donc quelque chose sur votre santé.`;
}

/** What was seen, and what the platform does not hold (DOMAIN.md): honest about both. */
export function whatWasSeen(seen: Block[]): Block[] {
  return [
    heading('Les informations qui ont été vues'),
    paragraph('La personne a pu voir :'),
    ...seen,
    paragraph('La plateforme de tiers payant ne contient pas votre dossier médical ni vos diagnostics. Elle ne contient pas non plus vos coordonnées bancaires, votre adresse, votre téléphone ou votre e-mail. Ces informations n’ont donc pas pu être vues de cette façon.'),
  ];
}

export function risks(facts: NotificationFacts): Block[] {
  return [
    heading('Les risques pour vous'),
    paragraph(`Des escrocs peuvent utiliser ces informations pour vous tromper. Ils peuvent se faire passer pour ${facts.insurer.name}, pour votre banque ou pour l’Assurance Maladie (Ameli).`),
    paragraph('Ils peuvent vous envoyer un faux e-mail ou un faux SMS, ou vous téléphoner. Ils connaissent parfois des informations vraies sur vous. Cela ne prouve pas qu’ils sont honnêtes.'),
    paragraph('Ils peuvent aussi essayer de se faire passer pour vous, par exemple pour ouvrir un compte ou demander un crédit à votre nom.'),
  ];
}

export function whatWeDid(facts: NotificationFacts): Block[] {
  return [
    heading('Ce que nous avons fait'),
    list([...facts.incident.measures, 'La CNIL, l’autorité qui protège les données personnelles, est informée.', 'Nous vous écrivons pour vous prévenir.']),
  ];
}

/** 33700: the operators' free number for forwarding unwanted SMS (DGCCRF, economie.gouv.fr, checked 2026-12). */
export function whatToDo(facts: NotificationFacts): Block[] {
  return [
    heading('Ce que vous pouvez faire'),
    list([
      'Ne donnez jamais vos codes, vos mots de passe ou vos coordonnées bancaires au téléphone, par SMS ou par e-mail.',
      `${facts.insurer.name}, votre banque et l’Assurance Maladie ne vous demanderont jamais vos codes ni vos mots de passe.`,
      'Un message vous presse ou vous fait peur ? Ne cliquez pas sur le lien. Au téléphone, raccrochez. Puis appelez vous-même le numéro habituel, celui de votre carte ou de vos courriers.',
      'Regardez bien vos relevés de remboursement et vos relevés de banque. Signalez-nous tout ce qui vous paraît anormal.',
      'Vous recevez un SMS douteux ? Transférez-le au 33700. C’est gratuit.',
      'Vous avez donné des informations bancaires ? Appelez tout de suite votre banque pour bloquer votre carte.',
      'Vous pensez être victime d’une arnaque ? Le site cybermalveillance.gouv.fr vous aide. Vous pouvez aussi porter plainte au commissariat de police ou à la gendarmerie.',
    ]),
  ];
}

export function contact(facts: NotificationFacts, reference: string): Block[] {
  const { insurer } = facts;
  return [
    heading('Pour nous contacter'),
    paragraph(`Pour toute question, contactez la personne chargée de la protection des données de ${insurer.name} (le délégué à la protection des données) : ${insurer.dpoContact}.`),
    paragraph(`Donnez-lui cette référence : ${reference}.`),
  ];
}

/** The CNIL's postal address for complaints as given since 2023 (3 place de Fontenoy; the older 8 rue Vivienne is out of date). */
export function rightToComplain(facts: NotificationFacts): Block[] {
  return [
    heading('Votre droit de réclamation'),
    paragraph('Vous pouvez aussi faire une réclamation auprès de la CNIL (Commission nationale de l’informatique et des libertés) :'),
    list(['sur le site www.cnil.fr ;', 'ou par courrier : CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07.']),
    paragraph('Nous vous présentons nos excuses pour cette situation.'),
    paragraph(facts.insurer.name),
  ];
}
