import { careDomains, isCareDomain } from '../domain/coverage/care-domain.js';
import { departmentName } from '../domain/identifiers/department-names.js';
import { atSiteKind, professionLabel } from '../domain/professions.js';
import type { AccessEntry } from './history.js';

/** What each purpose of the access log did, as a verb an insured person understands. */
const purposes: Readonly<Record<string, string>> = {
  rights_check: 'a vérifié vos droits',
  coverage: 'a calculé le remboursement de votre complémentaire',
  engagement: 'a consulté un engagement de prise en charge',
  member_export: 'a obtenu votre numéro d’adhérent pour que votre organisme vous prévienne d’un incident de sécurité',
};

/** What the answer was, in a few words. */
const results: Readonly<Record<string, string>> = {
  covered: 'droits ouverts',
  not_covered: 'réponse « non couvert », sans autre détail',
  not_found: 'personne non trouvée',
  refused: 'demande refusée',
  error: 'erreur, rien n’a été communiqué',
  approved: 'accordé',
};

/** Days and times are French ones, whatever the server's zone. */
const ZONE = 'Europe/Paris';
const dayParts = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const longDay = new Intl.DateTimeFormat('fr-FR', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' });

/** An access record in words: each part, and the whole sentence. */
export interface DescribedEntry {
  entry: AccessEntry;
  /** The French calendar day, AAAA-MM-JJ, and the time, HH:MM. */
  day: string;
  time: string;
  purpose: string;
  result: string;
  domains: { code: string; label: string }[];
  profession: string | null;
  department: string | null;
  sentence: string;
}

export function describeEntry(entry: AccessEntry): DescribedEntry {
  const parts = Object.fromEntries(dayParts.formatToParts(entry.at).map((p) => [p.type, p.value]));
  const domains = entry.disclosed.map((code) => ({ code, label: isCareDomain(code) ? careDomains[code] : code }));
  const described = {
    entry,
    day: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    purpose: purposes[entry.purpose] ?? 'a consulté votre dossier',
    result: results[entry.result] ?? entry.result,
    domains,
    profession: entry.professional && professionLabel(entry.professional.professionCode, entry.professional.specialty),
    department: entry.site && departmentName(entry.site.department),
  };
  return { ...described, sentence: sentenceOf(described) };
}

/** « Le 3 décembre 2026 à 14 h 05, Jeanne Martin, pharmacien, à la pharmacie « Pharmacie du Parc » (Rhône), a vérifié vos droits pour : pharmacie. Réponse : droits ouverts. » */
function sentenceOf(d: Omit<DescribedEntry, 'sentence'>): string {
  const [hour, minute] = d.time.split(':');
  const when = `Le ${frenchDay(d.entry.at)} à ${Number(hour)} h ${minute}`;
  const what = d.domains.length > 0 ? `${d.purpose} pour : ${d.domains.map((x) => x.label.toLowerCase()).join(', ')}` : d.purpose;
  return `${when}, ${whoAndWhere(d)} ${what}. Réponse : ${d.result}.`;
}

/** The subject of the sentence; a professional's apposition (profession, place) closes with its comma. */
function whoAndWhere(d: Omit<DescribedEntry, 'sentence'>): string {
  const { professional, site } = d.entry;
  if (professional === null) return 'un membre de l’équipe de sécurité de la plateforme';
  const who = `${professional.firstName} ${professional.lastName}, ${d.profession ?? ''}`;
  return site === null ? `${who},` : `${who}, ${atSiteKind(site.kind)} « ${site.name} » (${d.department ?? ''}),`;
}

/** « 3 décembre 2026 », « 1er mars 2026 ». */
export function frenchDay(at: Date): string {
  const text = longDay.format(at);
  return text.startsWith('1 ') ? `1er ${text.slice(2)}` : text;
}
