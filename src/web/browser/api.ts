/**
 * The pages' one way to the JSON API: same origin, the session cookie, and the page's CSRF
 * token in a header (src/http/plugins/csrf.ts) that a form or another site cannot send.
 */
const csrfToken = (): string => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

/** An API refusal: its French message from the error catalogue, shown as is, and its code, for pages that offer what to do next. */
export class ApiError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, { credentials: 'same-origin', ...init });
  const json = (await response.json()) as T & { message?: string; code?: string };
  if (!response.ok) throw new ApiError(json.message ?? String(response.status), json.code);
  return json;
}

/** A write, its body as JSON. */
async function send<T>(method: 'POST' | 'PUT', url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'x-csrf-token': csrfToken() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return call<T>(url, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
}

export const post = <T>(url: string, body?: unknown): Promise<T> => send<T>('POST', url, body);

/** A replacement, such as a software's new set of keys. */
export const put = <T>(url: string, body: unknown): Promise<T> => send<T>('PUT', url, body);

/** A read: the token too, so that a read and a write are refused the same way when the page is stale. */
export const get = <T>(url: string): Promise<T> => call<T>(url, { headers: { 'x-csrf-token': csrfToken(), accept: 'application/json' } });

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

/** A read the page cannot do without failed: what happened, and what the person can do. */
export const unavailable = (error: unknown): string => `${failure(error)} Rechargez la page ; si cela se reproduit, prévenez l’équipe d’exploitation.`;
