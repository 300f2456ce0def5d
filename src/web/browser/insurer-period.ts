/**
 * The period form of the insurer console's pages: the query it names (`du`, `au`), read once
 * when the page opens and again at each submit. A read that fails says so in the status line.
 */
import { say, unavailable } from './api.js';
import { field, onSubmit } from './forms.js';

export function onPeriod(status: string, read: (query: string) => Promise<void>): void {
  const run = (form: HTMLFormElement): Promise<void> => {
    const query = new URLSearchParams({ du: field(form, 'du'), au: field(form, 'au') }).toString();
    return read(query).catch((error: unknown) => say(status, unavailable(error)));
  };
  onSubmit('#period', run);
  const form = document.querySelector<HTMLFormElement>('#period');
  if (form) void run(form);
}
