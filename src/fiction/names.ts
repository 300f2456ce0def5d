import type { Sex } from '../domain/identifiers/index.js';
import { chance, pick, type Rng } from '../domain/random.js';

/**
 * Common French first and last names. Only their combinations are invented: no list of
 * real people was used, and nothing here belongs to anyone.
 */
export const MALE_FIRST_NAMES: readonly string[] = [
  'Jean', 'Pierre', 'Michel', 'André', 'Philippe', 'Alain', 'Bernard', 'Jacques', 'Daniel', 'Patrick',
  'Nicolas', 'Christophe', 'Stéphane', 'Laurent', 'Julien', 'Thomas', 'Alexandre', 'Antoine', 'Lucas', 'Hugo',
  'Louis', 'Gabriel', 'Léo', 'Raphaël', 'Arthur', 'Jules', 'Maël', 'Paul', 'Nathan', 'Mathis',
  'Théo', 'Sébastien', 'Frédéric', 'Olivier', 'Éric', 'David', 'François', 'Vincent', 'Guillaume', 'Romain',
  'Maxime', 'Kévin', 'Mohamed', 'Karim', 'Yanis', 'Adam', 'Noah', 'Ethan', 'Sacha', 'Jean-Pierre',
  'Jean-Luc', 'Gérard', 'Yves', 'Henri', 'Marcel', 'René', 'Loïc', 'Benoît', 'Cédric', 'Mehdi',
];

export const FEMALE_FIRST_NAMES: readonly string[] = [
  'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Françoise', 'Monique', 'Christine', 'Valérie', 'Sandrine',
  'Céline', 'Stéphanie', 'Aurélie', 'Julie', 'Camille', 'Léa', 'Manon', 'Chloé', 'Emma', 'Inès',
  'Jade', 'Louise', 'Alice', 'Lina', 'Rose', 'Anna', 'Sarah', 'Laura', 'Pauline', 'Élodie',
  'Émilie', 'Hélène', 'Anne', 'Martine', 'Brigitte', 'Danielle', 'Jeanne', 'Lucie', 'Clara', 'Zoé',
  'Agathe', 'Mila', 'Ambre', 'Léna', 'Fatima', 'Yasmine', 'Nadia', 'Océane', 'Margaux', 'Mathilde',
  'Marie-Claude', 'Anne-Sophie', 'Josiane', 'Ginette', 'Odile', 'Maëlys', 'Noémie', 'Amandine', 'Soraya', 'Gaëlle',
];

export const LAST_NAMES: readonly string[] = [
  'MARTIN', 'BERNARD', 'THOMAS', 'PETIT', 'ROBERT', 'RICHARD', 'DURAND', 'DUBOIS', 'MOREAU', 'LAURENT',
  'SIMON', 'MICHEL', 'LEFEBVRE', 'LEROY', 'ROUX', 'DAVID', 'BERTRAND', 'MOREL', 'FOURNIER', 'GIRARD',
  'BONNET', 'DUPONT', 'LAMBERT', 'FONTAINE', 'ROUSSEAU', 'VINCENT', 'MULLER', 'LEFEVRE', 'FAURE', 'ANDRE',
  'MERCIER', 'BLANC', 'GUERIN', 'BOYER', 'GARNIER', 'CHEVALIER', 'FRANCOIS', 'LEGRAND', 'GAUTHIER', 'GARCIA',
  'PERRIN', 'ROBIN', 'CLEMENT', 'MORIN', 'NICOLAS', 'HENRY', 'ROUSSEL', 'MATHIEU', 'GAUTIER', 'MASSON',
  'MARCHAND', 'DUVAL', 'DENIS', 'DUMONT', 'MARIE', 'LEMAIRE', 'NOEL', 'MEYER', 'DUFOUR', 'MEUNIER',
  'BRUN', 'BLANCHARD', 'GIRAUD', 'JOLY', 'RIVIERE', 'LUCAS', 'BRUNET', 'GAILLARD', 'BARBIER', 'ARNAUD',
  'MARTINEZ', 'GERARD', 'ROCHE', 'RENARD', 'SCHMITT', 'ROY', 'LEROUX', 'COLIN', 'VIDAL', 'CARON',
  'PICARD', 'ROGER', 'FABRE', 'AUBERT', 'LEMOINE', 'RENAUD', 'DUMAS', 'LACROIX', 'OLIVIER', 'PHILIPPE',
  'BOURGEOIS', 'PIERRE', 'BENOIT', 'REY', 'LECLERC', 'PAYET', 'ROLLAND', 'LECLERCQ', 'GUILLAUME', 'LECOMTE',
  'LOPEZ', 'JEAN', 'DUPUY', 'GUILLOT', 'HUBERT', 'BERGER', 'CARPENTIER', 'SANCHEZ', 'DUPUIS', 'MOULIN',
  'LOUIS', 'DESCHAMPS', 'HUET', 'VASSEUR', 'PEREZ', 'BOUCHER', 'FLEURY', 'ROYER', 'KLEIN', 'JACQUET',
  'ADAM', 'PARIS', 'POIRIER', 'MARTY', 'AUBRY', 'GUYOT', 'CARRE', 'CHARLES', 'RENAULT', 'CHARPENTIER',
  'MENARD', 'MAILLARD', 'BARON', 'BERTIN', 'BAILLY', 'HERVE', 'SCHNEIDER', 'FERNANDEZ', 'LE GALL', 'COLLET',
  'LEGER', 'BOUVIER', 'JULIEN', 'PREVOST', 'MILLET', 'PERROT', 'DANIEL', 'LE ROUX', 'COUSIN', 'GERMAIN',
  'BRETON', 'BESSON', 'LANGLOIS', 'REMY', 'LE GOFF', 'PELLETIER', 'LEVEQUE', 'PERRIER', 'LEBLANC', 'BARRE',
  'LEBRUN', 'MARCHAL', 'WEBER', 'MALLET', 'HAMON', 'BOULANGER', 'JACOB', 'MONNIER', 'MICHAUD', 'RODRIGUEZ',
  'GUICHARD', 'GILLET', 'ETIENNE', 'GRONDIN', 'POULAIN', 'TESSIER', 'CHEVALLIER', 'COLLIN', 'CHAUVIN', 'DA SILVA',
  'BOUCHET', 'GAY', 'LEMAITRE', 'BENARD', 'MARECHAL', 'HUMBERT', 'REYNAUD', 'ANTOINE', 'HOARAU', 'PERRET',
  "D'ALMEIDA", "N'DIAYE", 'BENALI', 'NGUYEN', 'TRAORE', 'DIALLO', 'HADDAD', 'COHEN', 'MOREIRA', 'FERREIRA',
];

export function randomSex(rng: Rng): Sex {
  return chance(rng, 0.5) ? 'male' : 'female';
}

export function firstName(rng: Rng, sex: Sex): string {
  return pick(rng, sex === 'male' ? MALE_FIRST_NAMES : FEMALE_FIRST_NAMES);
}

export function lastName(rng: Rng): string {
  return pick(rng, LAST_NAMES);
}
