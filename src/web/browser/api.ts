/**
 * The pages' one way to the JSON API: same origin, the session cookie, and the page's CSRF
 * token in a header (src/http/plugins/csrf.ts) that a form or another site cannot send.
 */
const csrfToken = (): string => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

/** An API refusal carries a French message from the error catalogue: shown as is. */
export async function post<T>(url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'x-csrf-token': csrfToken() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return answer<T>(await fetch(url, { method: 'POST', credentials: 'same-origin', headers, body: body === undefined ? null : JSON.stringify(body) }));
}

/** A read: the session cookie is enough (no state changes, so no token). */
export async function get<T>(url: string): Promise<T> {
  return answer<T>(await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } }));
}

async function answer<T>(response: Response): Promise<T> {
  const json = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(json.message ?? String(response.status));
  return json;
}

/** Writes text into an element: never HTML from the network. */
export function say(selector: string, text: string): void {
  const out = document.querySelector(selector);
  if (out) out.textContent = text;
}

/** Replaces an element's content with one paragraph per line, as text. */
export function show(selector: string, lines: readonly string[]): void {
  document.querySelector(selector)?.replaceChildren(...lines.map((line) => Object.assign(document.createElement('p'), { textContent: line })));
}

export const failure = (error: unknown): string => `Échec : ${error instanceof Error ? error.message : String(error)}`;
