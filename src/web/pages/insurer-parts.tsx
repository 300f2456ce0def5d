import { addDays, type CalendarDate } from '../../domain/dates.js';

/**
 * Pieces shared by the insurer console's pages (/organisme…): a table the page's script
 * fills from the insurer API, and the form of the period a read covers. The days offered
 * are the platform's (its clock may be another than the browser's).
 */

/** A table with its caption and column headers, empty until the script fills it. */
export function DataTable({ id, caption, columns, numeric = [] }: { id: string; caption: string; columns: readonly string[]; numeric?: readonly string[] }): JSX.Element {
  return (
    // Many columns: a tighter table, rather than one that runs past the page's side.
    <table id={id} class={columns.length > 7 ? 'dense' : undefined}>
      <caption class="note" safe>{caption}</caption>
      <thead>
        <tr>{columns.map((column) => <th scope="col" class={numeric.includes(column) ? 'n' : undefined} safe>{column}</th>)}</tr>
      </thead>
      <tbody><tr><td colspan={String(columns.length)}>Chargement…</td></tr></tbody>
    </table>
  );
}

/** How far back a period starts by default: a month. */
const DEFAULT_DAYS_BACK = 30;

/** The days a read covers, both included (the API takes 366 days at most); by default the month up to today. */
export function PeriodForm({ id, today, title }: { id: string; today: CalendarDate; title: string }): JSX.Element {
  return (
    <form id={id} class="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} safe>{title}</h2>
      <div class="fields">
        <label><span>Du</span><input name="du" type="date" value={addDays(today, -DEFAULT_DAYS_BACK)} required /></label>
        <label><span>Au (inclus)</span><input name="au" type="date" value={today} required /></label>
      </div>
      <button type="submit">Afficher</button>
    </form>
  );
}
