import { Argument } from 'commander';
import type { Command } from 'commander';
import {
  describeNir,
  parseAmcNumber,
  parseFiness,
  parseIban,
  parseNir,
  parseRpps,
  parseSiret,
} from '../../domain/identifiers/index.js';
import type { NirDescription, NirPlace, Parsed } from '../../domain/identifiers/index.js';

export const CHECK_KINDS = ['nir', 'rpps', 'siret', 'finess', 'iban', 'amc'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface CheckOutput {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

interface Verdict {
  readonly normalised: string;
  readonly details: readonly string[];
}

const CHECKS: Readonly<Record<CheckKind, { readonly label: string; readonly check: (value: string) => Parsed<Verdict> }>> = {
  nir: { label: 'NIR', check: checkNir },
  rpps: { label: 'Numéro RPPS', check: (value) => withoutDetails(parseRpps(value)) },
  siret: { label: 'Numéro SIRET', check: (value) => withoutDetails(parseSiret(value)) },
  finess: { label: 'Numéro FINESS', check: (value) => withoutDetails(parseFiness(value)) },
  iban: { label: 'IBAN', check: (value) => withoutDetails(parseIban(value)) },
  amc: { label: 'Numéro AMC', check: (value) => withoutDetails(parseAmcNumber(value)) },
};

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Vérifie un identifiant (NIR, RPPS, SIRET, FINESS, IBAN, numéro AMC) et donne sa forme normalisée')
    .addArgument(new Argument('<kind>', "type d'identifiant").choices(CHECK_KINDS))
    // Variadic so that a value typed in groups ("2 95 10 …") needs no quotes.
    .argument('<value...>', 'identifiant à vérifier, espaces admis')
    .action((kind: CheckKind, value: string[]) => {
      const output = describeCheck(kind, value.join(' '));
      process.stdout.write(`${output.lines.join('\n')}\n`);
      if (!output.ok) process.exitCode = 1;
    });
}

/** The French verdict on one identifier, kept pure so that it can be tested without a process. */
export function describeCheck(kind: CheckKind, value: string): CheckOutput {
  const { label, check } = CHECKS[kind];
  const verdict = check(value);
  if (!verdict.ok) {
    return { ok: false, lines: [`${label} invalide`, `  Code : ${verdict.error.code}`, `  Motif : ${verdict.error.reason}`] };
  }
  const details = verdict.value.details.map((line) => `  ${line}`);
  return { ok: true, lines: [`${label} valide : ${verdict.value.normalised}`, ...details] };
}

function withoutDetails(parsed: Parsed<string>): Parsed<Verdict> {
  return parsed.ok ? { ok: true, value: { normalised: parsed.value, details: [] } } : parsed;
}

function checkNir(value: string): Parsed<Verdict> {
  const parsed = parseNir(value);
  if (!parsed.ok) return parsed;
  return { ok: true, value: { normalised: parsed.value, details: nirDetails(describeNir(parsed.value)) } };
}

function nirDetails(nir: NirDescription): string[] {
  if (nir.kind === 'msaProvisional') return ['Type : numéro provisoire MSA (seule la clé est vérifiable)'];
  return [
    `Type : ${nir.kind === 'registered' ? 'NIR' : "numéro provisoire (NIA ou numéro d'attente)"}`,
    `Sexe : ${nir.sex === 'male' ? 'homme' : 'femme'}`,
    `Année de naissance : ${nir.birthYear2} (deux derniers chiffres)`,
    `Mois de naissance : ${Number(nir.birthMonth) <= 12 ? nir.birthMonth : `inconnu (code ${nir.birthMonth})`}`,
    `Lieu de naissance : ${placeLabel(nir)}`,
    `Numéro d'ordre : ${nir.order}`,
  ];
}

function placeLabel({ birthPlace, department, commune }: NirPlace): string {
  switch (birthPlace) {
    case 'metropole':
      return `département ${department}, commune ${commune}`;
    case 'corse':
      return `Corse, département ${department}, commune ${commune}`;
    case 'outremer':
      return `outre-mer, département ${department}, commune ${commune}`;
    case 'etranger':
      return `à l'étranger, code pays ${commune}`;
  }
}
