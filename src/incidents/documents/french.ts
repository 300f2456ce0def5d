/** Dates and numbers as a French reader expects them; instants are stored in UTC, shown in Paris time. */
const zone = 'Europe/Paris';
const day = new Intl.DateTimeFormat('fr-FR', { timeZone: zone, day: 'numeric', month: 'long', year: 'numeric' });
const clock = new Intl.DateTimeFormat('fr-FR', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const count = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });

/** « 3 décembre 2026 », « 1er mars 2027 ». */
export function frenchDate(at: Date): string {
  return day.format(at).replace(/^1 /, '1er ');
}

/** « 3 décembre 2026 à 14 h 05 (heure de Paris) ». */
export function frenchDateTime(at: Date): string {
  const [hours, minutes] = clock.format(at).split(':');
  return `${frenchDate(at)} à ${hours} h ${minutes} (heure de Paris)`;
}

/** « le 3 décembre 2026 », or « du 3 au … » when the days differ (in Paris). */
export function frenchPeriod(from: Date, to: Date): string {
  const first = frenchDate(from);
  const last = frenchDate(to);
  return first === last ? `le ${first}` : `du ${first} au ${last}`;
}

/** « 12 345 », with the narrow no-break space French typography puts between thousands. */
export function frenchCount(n: number): string {
  return count.format(n);
}

/** « 1 personne », « 12 345 personnes »: French puts 0 and 1 in the singular. */
export function counted(n: number, singular: string, plural: string): string {
  return `${frenchCount(n)} ${n >= 2 ? plural : singular}`;
}

/** The exact instant, for the reader who must compare with logs: « 2026-12-03 13:05:00 UTC ». */
export function utcStamp(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
