/**
 * Invented place names, for insurers, towns and sites. They sound French; none is meant to
 * name a real organisation.
 */
export const PLACE_NAMES: readonly string[] = [
  'Ormeval', 'Clairbois', 'Valmorin', 'Rochelande', 'Bellemare', 'Hautefage', 'Montlibre', 'Lantenay-sur-Orve',
  'Verchamps', 'Pradelle', 'Sauvenay', 'Mirecombe', 'Courtelande', 'Fontclaire', 'Brionval', 'Aubelac',
  'Saint-Aurel', 'Sainte-Oriane', 'Champvernay', 'Isle-Moreau', 'Ambrevieux', 'Quintelac', 'Morvelle', 'Estavray',
  'Haute-Ravine', 'Port-Salvan', 'Beaumarais', 'Givrenne', 'Oloncourt', 'Uzelande', 'Vaudrimont', 'Arcambal-le-Vieux',
];

/** Streets and squares that pharmacies and health centres are named after. */
export const LANDMARKS: readonly string[] = [
  'du Centre', 'de la Gare', 'des Halles', 'du Marché', 'de la Place', 'du Parc', 'des Lilas', 'de la Mairie',
  'du Port', 'des Écoles', 'de la Fontaine', 'du Château', "de l'Église", 'des Tilleuls', 'du Moulin', 'de la Poste',
];

/** "de Clairbois", "d'Ormeval": French elision before a vowel. */
export function ofPlace(name: string): string {
  return /^[AEIOUYÉÈÂÎ]/i.test(name) ? `d'${name}` : `de ${name}`;
}
