/** The directory's columns (docs/formats.md), in the order the test files write them. */
const columns = [
  'rpps', 'nom', 'prenom', 'profession', 'specialite', 'finess', 'siret', 'raison_sociale',
  'type_structure', 'departement', 'numero_am', 'role', 'debut', 'fin',
] as const;

export type DirectoryRow = Partial<Record<(typeof columns)[number], string>>;

export const directoryDefaults: DirectoryRow = {
  nom: 'MARTIN', prenom: 'Claire', profession: '21', raison_sociale: 'Pharmacie du Centre',
  type_structure: 'officine', departement: '75', role: 'titulaire', debut: '2020-01-01',
};

/** A directory file: identification line 1, header line 2, so data line n is file line n + 2. */
export function directoryCsv(rows: readonly DirectoryRow[], options: { end?: boolean; date?: string } = {}): string {
  const data = rows.map((row) => columns.map((column) => row[column] ?? directoryDefaults[column] ?? '').join(';'));
  const end = options.end === false ? [] : [`#FIN;${rows.length}`];
  return [`#rempart.professionnels/1;date=${options.date ?? '2026-03-01'}`, columns.join(';'), ...data, ...end, ''].join('\n');
}

/** The same identifier with its last digit, its check digit, changed. */
export function spoilKey(identifier: string): string {
  return `${identifier.slice(0, -1)}${(Number(identifier.slice(-1)) + 1) % 10}`;
}
