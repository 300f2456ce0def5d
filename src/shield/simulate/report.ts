import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scenarios, type ScenarioId } from './attacks.js';
import { EPIDEMIC_DAYS, MERGER_DAY } from './population.js';
import type { DayStats } from './run.js';
import type { SeedResult, SimulationResult } from './simulate.js';
import { median } from '../statistics.js';
import { frenchNumber, signalLegend, STEP_UP, withoutFigures } from './words.js';

/** One scenario over every seed. */
export interface ScenarioSummary {
  id: ScenarioId;
  title: string;
  goal: string;
  records: { median: number; max: number };
  totalRecords: { median: number; max: number };
  /** (b): records before step-up ÷ the account's normal day. */
  ratio: { median: number; max: number } | null;
  /** Seconds; null when a seed was never contained. */
  containment: { median: number | null; max: number | null };
  containedBy: string;
  /** The goal's limit in records, for the chart ((b): 1.5 × the median normal day). */
  limit: number;
  pass: boolean;
}

export interface CleanSummary {
  seeds: number[];
  accountDays: number;
  checks: number;
  wrongfulPer10k: number;
  stepUpPercent: number;
  alertsPerDayPer2000: number;
  slowedPercent: number;
  refused: number;
  pass: { wrongful: boolean; stepUps: boolean; alerts: boolean };
  /** Why legitimate accounts met a step-up or a suspension (first of each account-day), over the clean seeds. */
  falseAlarms: [string, number][];
}

export interface Report {
  scenarios: ScenarioSummary[];
  clean: CleanSummary | null;
  markdown: string;
  svg: string;
}

const limits: Readonly<Record<ScenarioId, number>> = { a: 50, b: 0, c: 5000, d: 20, e: 0, f: 0, g: 5000 };

export function summarize(result: SimulationResult): Report {
  const summaries = scenarios.filter((s) => result.options.scenarios.includes(s.id)).map((spec) => {
    const outcomes = result.seeds.flatMap((seed) => seed.outcomes.filter((o) => o.scenario === spec.id));
    const times = outcomes.map((o) => o.timeToContainmentMs);
    const contained = times.every((t) => t !== null);
    const seconds = times.filter((t): t is number => t !== null).map((t) => t / 1000);
    const ratios = outcomes.map((o) => o.ratio).filter((r): r is number => r !== null);
    const normalDays = outcomes.map((o) => o.normalDay).filter((n): n is number => n !== null);
    return {
      id: spec.id,
      title: spec.title,
      goal: spec.goal,
      records: stats(outcomes.map((o) => o.records)),
      totalRecords: stats(outcomes.map((o) => o.totalRecords)),
      ratio: ratios.length > 0 ? stats(ratios) : null,
      containment: { median: contained ? median(seconds) : null, max: contained ? Math.max(...seconds) : null },
      containedBy: mostCommon(outcomes.map((o) => withoutFigures(o.containedBy))),
      limit: spec.id === 'b' ? 1.5 * median(normalDays) : limits[spec.id],
      pass: outcomes.length > 0 && outcomes.every((o) => o.pass),
    };
  });
  const clean = cleanSummary(result);
  const markdown = toMarkdown(result, summaries, clean);
  return { scenarios: summaries, clean, markdown, svg: toSvg(result, summaries) };
}

/** Account-days of clean traffic with a step-up, at most (issue 15: keep today's 0.09 % well under it). */
const STEP_UP_GOAL_PERCENT = 0.5;

/** Writes report.md, report.svg and report.json (every seed's figures) into `dir`. */
export async function writeReport(result: SimulationResult, dir: string): Promise<Report> {
  const report = summarize(result);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.md'), report.markdown);
  await writeFile(join(dir, 'report.svg'), report.svg);
  await writeFile(join(dir, 'report.json'), `${JSON.stringify({ summary: { scenarios: report.scenarios, clean: report.clean }, result }, null, 1)}\n`);
  return report;
}

function cleanSummary(result: SimulationResult): CleanSummary | null {
  const seeds = result.seeds.filter((s): s is SeedResult & { clean: NonNullable<SeedResult['clean']> } => s.clean !== null);
  if (seeds.length === 0) return null;
  const sum = (f: (s: (typeof seeds)[number]) => number): number => seeds.reduce((total, s) => total + f(s), 0);
  const accountDays = sum((s) => s.clean.accountDays);
  const days = sum((s) => s.days.length);
  const sites = seeds[0]?.sites ?? 1;
  const alarms = new Map<string, number>();
  for (const seed of seeds) for (const [key, count] of Object.entries(seed.falseAlarms)) alarms.set(key, (alarms.get(key) ?? 0) + count);
  const wrongfulPer10k = (sum((s) => s.clean.wrongfulSuspensions) / Math.max(1, accountDays)) * 10_000;
  const stepUpPercent = (sum((s) => s.clean.stepUpAccountDays) / Math.max(1, accountDays)) * 100;
  const alertsPerDayPer2000 = ((sum((s) => s.clean.platformAlerts + s.clean.accountAlerts) / Math.max(1, days)) * 2000) / sites;
  return {
    seeds: seeds.map((s) => s.seed),
    accountDays,
    checks: sum((s) => s.clean.checks),
    wrongfulPer10k,
    stepUpPercent,
    alertsPerDayPer2000,
    slowedPercent: (sum((s) => s.clean.slowed) / Math.max(1, sum((s) => s.clean.checks))) * 100,
    refused: sum((s) => s.clean.refused),
    pass: { wrongful: wrongfulPer10k <= 1, stepUps: stepUpPercent <= STEP_UP_GOAL_PERCENT, alerts: alertsPerDayPer2000 <= 5 },
    falseAlarms: [...alarms].sort((a, b) => b[1] - a[1]),
  };
}

function toMarkdown(result: SimulationResult, summaries: readonly ScenarioSummary[], clean: CleanSummary | null): string {
  const o = result.options;
  const first = result.seeds[0];
  const lines = [
    '# Simulation du bouclier',
    '',
    `${o.sites} sites (${first?.accounts ?? '?'} comptes), 28 jours d’apprentissage puis ${o.days} jours mesurés ; graines ${o.seeds.join(', ')} ` +
      `(trafic propre passé par le bouclier : ${o.cleanSeeds.join(', ')}) ; durée ${result.wallSeconds.toFixed(0)} s.`,
    'Chaque scénario rejoue la même population avec un bouclier neuf ; fiches = réponses « couvert » données à l’attaquant (bénéficiaires leurres exclus).',
    '',
    '## Attaques',
    '',
    '| scénario | objectif | fiches avant confinement (médiane / max) | fiches au total (médiane / max) | délai de confinement (médiane / max) | confiné par (la plupart des graines) | résultat |',
    '|---|---|---|---|---|---|---|',
    ...summaries.map((s) => {
      const ratio = s.ratio ? ` (${frenchNumber(s.ratio.median, 2)} / ${frenchNumber(s.ratio.max, 2)} × journée normale)` : '';
      const records = `${fmt(s.records.median)} / ${fmt(s.records.max)}${ratio}`;
      return `| (${s.id}) ${s.title} | ${s.goal} | ${records} | ${fmt(s.totalRecords.median)} / ${fmt(s.totalRecords.max)} | ${duration(s.containment.median)} / ${duration(s.containment.max)} | ${s.containedBy} | ${verdict(s.pass)} |`;
    }),
    '',
  ];
  if (clean) lines.push(...cleanMarkdown(clean));
  lines.push('## Par graine', '', '| graine | scénario | fiches | total | délai de confinement | confiné par | objectif |', '|---|---|---|---|---|---|---|');
  for (const seed of result.seeds) {
    for (const outcome of seed.outcomes) {
      const time = duration(outcome.timeToContainmentMs === null ? null : outcome.timeToContainmentMs / 1000);
      lines.push(`| ${seed.seed} | (${outcome.scenario}) | ${outcome.records} | ${outcome.totalRecords} | ${time} | ${outcome.containedBy} | ${outcome.pass ? 'oui' : 'non'} |`);
    }
  }
  lines.push('', '### Signaux nommés', '', ...signalLegend.map(([names, words]) => `- ${names} : ${words}`));
  lines.push('', 'Graphique : report.svg. Tous les chiffres : report.json.', '');
  return lines.join('\n');
}

function cleanMarkdown(clean: CleanSummary): string[] {
  return [
    `## Trafic propre (graines ${clean.seeds.join(', ')} : ${clean.accountDays} comptes-jours, ${clean.checks} vérifications)`,
    '',
    '| chiffre | valeur | objectif | résultat |',
    '|---|---|---|---|',
    `| comptes légitimes suspendus à tort pour 10 000 comptes-jours | ${frenchNumber(clean.wrongfulPer10k, 2)} | ≤ 1 | ${verdict(clean.pass.wrongful)} |`,
    `| comptes-jours avec une ${STEP_UP} | ${frenchNumber(clean.stepUpPercent, 2)} % | ≤ ${frenchNumber(STEP_UP_GOAL_PERCENT, 1)} % | ${verdict(clean.pass.stepUps)} |`,
    `| alertes (plateforme et comptes) par jour pour 2 000 sites | ${frenchNumber(clean.alertsPerDayPer2000, 2)} | ≤ 5 | ${verdict(clean.pass.alerts)} |`,
    `| vérifications légitimes ralenties | ${frenchNumber(clean.slowedPercent, 2)} % | — | — |`,
    `| vérifications légitimes refusées | ${clean.refused} | — | — |`,
    '',
    `### Pourquoi des comptes légitimes ont dû confirmer leur identité (première décision de chaque compte-jour : action, profil, signaux, jour)`,
    '',
    '| nombre | cause |',
    '|---|---|',
    ...clean.falseAlarms.slice(0, 20).map(([key, count]) => `| ${count} | ${key} |`),
    '',
  ];
}

/** Two panels drawn by hand: records per scenario against each goal, and the clean days (volume, step-ups, alerts). */
function toSvg(result: SimulationResult, summaries: readonly ScenarioSummary[]): string {
  const width = 900;
  const parts: string[] = [];
  const text = (x: number, y: number, s: string, attrs = ''): string => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(s)}</text>`;
  parts.push(text(20, 28, 'Fiches divulguées avant confinement, par scénario (barre = médiane, trait = maximum des graines ; ligne rouge = objectif)', 'font-weight="bold"'));
  // Panel 1: log scale 0..10,000.
  const top = 50;
  const height = 220;
  const scale = (v: number): number => top + height - (Math.log10(1 + v) / Math.log10(10_001)) * height;
  for (const v of [0, 10, 100, 1000, 10_000]) {
    parts.push(`<line x1="70" x2="${width - 20}" y1="${scale(v).toFixed(1)}" y2="${scale(v).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(text(62, scale(v) + 4, String(v), 'text-anchor="end" font-size="11"'));
  }
  const slot = (width - 100) / Math.max(1, summaries.length);
  summaries.forEach((s, i) => {
    const x = 80 + i * slot;
    const bar = slot * 0.5;
    const y = scale(s.records.median);
    parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bar.toFixed(1)}" height="${(top + height - y).toFixed(1)}" fill="${s.pass ? '#4a8' : '#d54'}"/>`);
    parts.push(`<line x1="${x.toFixed(1)}" x2="${(x + bar).toFixed(1)}" y1="${scale(s.records.max).toFixed(1)}" y2="${scale(s.records.max).toFixed(1)}" stroke="#000" stroke-width="2"/>`);
    parts.push(`<line x1="${(x - 6).toFixed(1)}" x2="${(x + bar + 6).toFixed(1)}" y1="${scale(s.limit).toFixed(1)}" y2="${scale(s.limit).toFixed(1)}" stroke="#c00" stroke-width="2" stroke-dasharray="4 2"/>`);
    parts.push(text(x + bar / 2, scale(s.records.max) - 6, `${fmt(s.records.median)} / ${fmt(s.records.max)}`, 'text-anchor="middle" font-size="11"'));
    parts.push(text(x + bar / 2, top + height + 16, `(${s.id})`, 'text-anchor="middle" font-size="12" font-weight="bold"'));
    parts.push(text(x + bar / 2, top + height + 30, `objectif ≤ ${fmt(s.limit)}`, 'text-anchor="middle" font-size="10"'));
  });
  // Panel 2: clean days of the first clean seed.
  const seed = result.seeds.find((s) => s.clean !== null);
  const days: readonly DayStats[] = seed?.days ?? [];
  const top2 = 360;
  const height2 = 200;
  if (days.length > 0) {
    parts.push(text(20, top2 - 24, `Trafic propre, graine ${seed?.seed} : vérifications par jour (bleu), comptes avec ${STEP_UP} (orange, à droite), alertes (rouge)`, 'font-weight="bold"'));
    const maxChecks = Math.max(1, ...days.map((d) => d.checks));
    const maxSteps = Math.max(1, ...days.map((d) => d.stepUpAccounts));
    const x = (i: number): number => 80 + (i / Math.max(1, days.length - 1)) * (width - 160);
    const y = (v: number, max: number): number => top2 + height2 - (v / max) * height2;
    const epidemic = days.findIndex((d) => d.day === EPIDEMIC_DAYS.first);
    const epidemicEnd = days.findIndex((d) => d.day === EPIDEMIC_DAYS.last);
    if (epidemic >= 0 && epidemicEnd >= 0) {
      parts.push(`<rect x="${x(epidemic).toFixed(1)}" y="${top2}" width="${(x(epidemicEnd) - x(epidemic)).toFixed(1)}" height="${height2}" fill="#fde9c8"/>`);
      parts.push(text(x(epidemic) + 4, top2 + 12, 'épidémie', 'font-size="10"'));
    }
    const merger = days.findIndex((d) => d.day === MERGER_DAY);
    if (merger >= 0) parts.push(`<line x1="${x(merger).toFixed(1)}" x2="${x(merger).toFixed(1)}" y1="${top2}" y2="${top2 + height2}" stroke="#888" stroke-dasharray="3 3"/>`, text(x(merger) + 3, top2 + 24, 'fusions', 'font-size="10"'));
    parts.push(`<rect x="80" y="${top2}" width="${width - 160}" height="${height2}" fill="none" stroke="#999"/>`);
    parts.push(`<polyline fill="none" stroke="#36c" stroke-width="2" points="${days.map((d, i) => `${x(i).toFixed(1)},${y(d.checks, maxChecks).toFixed(1)}`).join(' ')}"/>`);
    parts.push(`<polyline fill="none" stroke="#e80" stroke-width="2" points="${days.map((d, i) => `${x(i).toFixed(1)},${y(d.stepUpAccounts, maxSteps).toFixed(1)}`).join(' ')}"/>`);
    days.forEach((d, i) => {
      if (d.platformAlerts > 0) parts.push(`<line x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${top2 + height2}" y2="${top2 + height2 - 6 * d.platformAlerts}" stroke="#c00" stroke-width="3"/>`);
      if (i % 7 === 0) parts.push(text(x(i), top2 + height2 + 14, `j${d.day} ${d.date.slice(5)}`, 'text-anchor="middle" font-size="10"'));
    });
    parts.push(text(74, top2 + 4, fmt(maxChecks), 'text-anchor="end" font-size="10" fill="#36c"'));
    parts.push(text(width - 74, top2 + 4, fmt(maxSteps), 'font-size="10" fill="#e80"'));
  }
  const totalHeight = days.length > 0 ? top2 + height2 + 30 : top + height + 50;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${totalHeight}" font-family="sans-serif" font-size="13">\n<rect width="100%" height="100%" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}

function stats(values: readonly number[]): { median: number; max: number } {
  return { median: median(values), max: values.length > 0 ? Math.max(...values) : 0 };
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '—';
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : frenchNumber(value, 1);
}

function duration(seconds: number | null): string {
  if (seconds === null) return 'jamais';
  if (seconds < 120) return `${frenchNumber(seconds, 1)} s`;
  if (seconds < 7200) return `${frenchNumber(seconds / 60, 1)} min`;
  return `${frenchNumber(seconds / 3600, 1)} h`;
}

function verdict(pass: boolean): string {
  return pass ? 'atteint' : '**MANQUÉ**';
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
