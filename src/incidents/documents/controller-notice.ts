import { heading, keyValue, list, paragraph, type Block, type Doc } from './doc.js';
import { categoryTable, checkpoint, exposureCounts, proveCommand, windowWords } from './exposure-blocks.js';
import type { NotificationFacts } from './facts.js';
import { counted, frenchDateTime } from './french.js';

/**
 * The operator's notice to the insurer (GDPR art. 33(2): the processor tells the
 * controller without undue delay): what was found, this insurer's share, how to check
 * it, what was done and delivered, and the insurer's deadline.
 */
export function controllerNotice(facts: NotificationFacts): Doc {
  const { insurer, operator } = facts;
  return {
    title: `Notification d’une violation de données au responsable du traitement — ${insurer.name}`,
    author: operator.name,
    date: facts.snapshot.computedAt,
    blocks: [
      paragraph(`${operator.name}, sous-traitant de ${insurer.name} pour le tiers payant, vous notifie une violation de données personnelles (article 33, paragraphe 2, du RGPD : le sous-traitant informe le responsable du traitement dans les meilleurs délais).`),
      addressing(facts),
      ...found(facts),
      ...scope(facts),
      heading('Ce que nous avons fait'),
      list(facts.incident.measures),
      ...verification(facts),
      ...delivered(facts),
      ...nextSteps(facts),
      heading('Contact'),
      paragraph(`${operator.name} : ${operator.contact}. Nous restons joignables pendant toute la gestion de l’incident.`),
    ],
  };
}

function addressing(facts: NotificationFacts): Block {
  const { incident, insurer, operator } = facts;
  return keyValue([
    ['De', `${operator.name} — ${operator.contact}`],
    ['À', `${insurer.name} (numéro AMC ${insurer.amcNumber}), à l’attention du délégué à la protection des données : ${insurer.dpoContact}`],
    ['Incident', `n° ${incident.id} — ${incident.title}`],
    ['Violation détectée le', frenchDateTime(incident.detectedAt)],
    ['Votre notification à la CNIL est due avant le', frenchDateTime(incident.notifyBy)],
  ]);
}

function found(facts: NotificationFacts): Block[] {
  return [
    heading('Ce que nous avons constaté'),
    paragraph(facts.incident.nature),
    paragraph(`Période examinée : ${windowWords(facts)}.`),
  ];
}

function scope(facts: NotificationFacts): Block[] {
  return [
    heading(`Périmètre pour ${facts.insurer.name}`),
    keyValue(exposureCounts(facts)),
    categoryTable(facts),
  ];
}

function verification(facts: NotificationFacts): Block[] {
  const size = facts.snapshot.treeSize;
  return [
    heading('L’instantané et comment le vérifier'),
    checkpoint(facts),
    list([
      `Les chiffres et le fichier des membres sont figés sur l’instantané n° ${facts.snapshot.id} : ils ne changent plus. Des consultations découvertes plus tard feraient l’objet d’un nouvel instantané.`,
      'Vérifiez que le journal n’a pas été réécrit : rempart audit verify --witness <dossier de votre témoin>. Chaque tête signée que nous vous avons remise comme témoin (rempart audit witness) doit figurer dans le journal.',
      `Vérifiez que l’arbre signé de taille ${size} prolonge la dernière tête que vous gardez : rempart audit consistency --from <taille gardée> --to ${size}.`,
      `Sur demande, nous prouvons toute consultation comptée contre l’empreinte racine ci-dessus : ${proveCommand(facts)}.`,
    ]),
  ];
}

function delivered(facts: NotificationFacts): Block[] {
  return [
    heading('Documents remis'),
    list([
      `Le fichier des membres concernés (${counted(facts.exposure.beneficiaries, 'ligne', 'lignes')}) : numéro d’adhérent, rang, informations vues, première et dernière consultation.`,
      'La lettre individuelle à chaque personne concernée, et son modèle pour relecture.',
      'Le projet de notification à la CNIL, rempli.',
    ]),
  ];
}

function nextSteps(facts: NotificationFacts): Block[] {
  return [
    heading('Ce qu’il vous reste à faire'),
    list([
      `Notifier la violation à la CNIL (article 33) avant le ${frenchDateTime(facts.incident.notifyBy)} : le projet joint est prêt à relire.`,
      'Informer les personnes concernées (article 34) en envoyant les lettres individuelles.',
      'Nous signaler toute question ou tout besoin de chiffres complémentaires.',
    ]),
  ];
}
