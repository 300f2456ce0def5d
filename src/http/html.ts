import { createHash } from 'node:crypto';

/** Escapes text for HTML: every value placed in a page goes through here. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The shell's one style block: the same text on every page, so one hash allows it. */
const style = `
  body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
  h1 { color: #000091; } table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; } td.n { text-align: right; }
  .note { color: #555; font-size: .9rem; }
`;

/** The Content-Security-Policy source that allows the shell's style block and no other inline style. */
export const PAGE_STYLE_SOURCE = `'sha256-${createHash('sha256').update(style).digest('base64')}'`;

/** The shell of every page: French, no external resource, no inline script, one style block allowed by its hash. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Rempart</title>
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>`;
}
