/** Mainland departments written with 2 digits: 01–95, without 20 (Corsica, see below). */
export const METROPOLITAN_DEPARTMENTS: readonly string[] = Array.from({ length: 95 }, (_, i) =>
  String(i + 1).padStart(2, '0'),
).filter((code) => code !== '20');

/** Corsica was '20' until 1976, then 2A (Corse-du-Sud) and 2B (Haute-Corse). */
export const CORSICA_DEPARTMENTS: readonly string[] = ['2A', '2B'];
export const FORMER_CORSICA_DEPARTMENT = '20';

/** Overseas departments and communities, numbered with 3 digits. */
export const OVERSEAS_DEPARTMENTS: readonly string[] = [
  '971', '972', '973', '974', '975', '976', '977', '978',
  '984', '985', '986', '987', '988', '989',
];

/** In a NIR, the department of people born abroad; the commune field then holds the country. */
export const BORN_ABROAD = '99';
