import { join } from 'node:path';
import { MANIFEST_FILE } from './dataset.js';
import type { FileKind, Manifest, ManifestFile } from './dataset.js';

const LABELS: Readonly<Record<FileKind, { readonly kind: string; readonly unit: string }>> = {
  catalogue: { kind: 'catalogue', unit: 'produits' },
  beneficiaires: { kind: 'bénéficiaires', unit: 'lignes' },
  professionnels: { kind: 'professionnels', unit: 'activités' },
};

const count = new Intl.NumberFormat('fr-FR');

/** The manifest in French, one line per file, for people running `rempart generate`. */
export function summarizeManifest(manifest: Manifest, outDir: string): string[] {
  const width = Math.max(...manifest.files.map((file) => file.path.length));
  const beneficiaries = manifest.files.filter((file) => file.kind === 'beneficiaires');
  const total = beneficiaries.reduce((sum, file) => sum + file.lines, 0);
  return [
    `Jeu de données synthétique écrit dans ${outDir} (graine « ${manifest.seed} », date d'extraction ${manifest.date}, format ${manifest.format}) :`,
    ...manifest.files.map((file) => `  ${file.path.padEnd(width)}  ${describeFile(file)}`),
    `Total : ${count.format(total)} bénéficiaires, ${insurers(beneficiaries.length)}.`,
    `Manifeste : ${join(outDir, MANIFEST_FILE)}`,
  ];
}

function insurers(n: number): string {
  return `${count.format(n)} organisme${n > 1 ? 's' : ''} complémentaire${n > 1 ? 's' : ''}`;
}

function describeFile(file: ManifestFile): string {
  const { kind, unit } = LABELS[file.kind];
  const insurer = file.organisme === undefined ? '' : `, organisme ${file.organisme}`;
  return `${kind}${insurer} : ${count.format(file.lines)} ${unit}`;
}
