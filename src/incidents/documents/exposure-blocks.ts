import { registerWords } from './categories.js';
import { keyValue, table, type Block } from './doc.js';
import type { NotificationFacts } from './facts.js';
import { counted, frenchCount, frenchDateTime } from './french.js';

/** Shared by the CNIL draft and the notice to the insurer, so that both give the same numbers. */

/** The categories of data seen, in words, with the stored code and the people concerned by each. */
export function categoryTable(facts: NotificationFacts): Block {
  const rows = facts.exposure.categories.map(({ category, beneficiaries }) => [registerWords(category), category, frenchCount(beneficiaries)]);
  return table(['Données consultées', 'Catégorie enregistrée', 'Personnes concernées'], rows);
}

export function exposureCounts(facts: NotificationFacts): [string, string][] {
  const { exposure } = facts;
  return [
    ['Nombre de personnes concernées', `${counted(exposure.beneficiaries, 'personne', 'personnes')} (nombre exact, compté sur le journal d’accès signé)`],
    ['Nombre d’enregistrements concernés', counted(exposure.records, 'consultation enregistrée', 'consultations enregistrées')],
    ['Première consultation non autorisée constatée', frenchDateTime(exposure.firstAt)],
    ['Dernière consultation non autorisée constatée', frenchDateTime(exposure.lastAt)],
  ];
}

/** The signed checkpoint the numbers were counted against: what makes them verifiable. */
export function checkpoint(facts: NotificationFacts): Block {
  const { snapshot } = facts;
  return keyValue([
    ['Instantané', `n° ${snapshot.id}, calculé le ${frenchDateTime(snapshot.computedAt)}`],
    ['Point de contrôle signé du journal d’accès', `arbre de ${counted(snapshot.treeSize, 'feuille', 'feuilles')} (taille ${snapshot.treeSize})`],
    ['Empreinte racine de l’arbre', snapshot.rootHash],
  ]);
}

/** How to check one counted access against the checkpoint, as the CLI spells it. */
export function proveCommand(facts: NotificationFacts): string {
  return `rempart audit prove --record <numéro de l’accès> --size ${facts.snapshot.treeSize}`;
}

export function windowWords(facts: NotificationFacts): string {
  return `du ${frenchDateTime(facts.incident.windowFrom)} au ${frenchDateTime(facts.incident.windowTo)}`;
}
