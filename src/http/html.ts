/** Escapes text for HTML: every value placed in a string-built page goes through here. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A bare page for what cannot use the page shell of src/web (the identity provider's
 * stand-in, in src/access, which src/web depends on): French, no script, no style. An
 * empty icon, so that a browser does not ask for /favicon.ico and log the 404.
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Rempart</title>
<link rel="icon" href="data:,">
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}
