import type { Children } from '@kitajs/html';
import { CSRF_FIELD } from '../../http/plugins/csrf.js';
import type { Shell } from './shell.js';

interface LayoutProps {
  title: string;
  shell: Shell;
  /** Bundled scripts of the page (src/web/browser), by name: `care.js`. */
  scripts?: readonly string[];
  children?: Children;
}

/**
 * The one shell of every page: French, the platform's name, the navigation of the person's
 * roles and logout, a skip link to the main content. Only the platform's own stylesheet and
 * scripts, by URL: no inline script or style (the Content-Security-Policy forbids them).
 */
export function Layout({ title, shell, scripts = [], children }: LayoutProps): JSX.Element {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {shell.csrf === undefined ? '' : <meta name="csrf-token" content={shell.csrf} />}
        <title safe>{title} — Rempart</title>
        <link rel="stylesheet" href={shell.assets.url('rempart.css')} />
        <link rel="icon" type="image/svg+xml" href={shell.assets.url('favicon.svg')} />
        {scripts.map((name) => <script src={shell.assets.url(name)} defer></script>)}
      </head>
      <body>
        <a class="skip" href="#contenu">Aller au contenu</a>
        <header class="top">
          <div class="top-inner">
            <a class="brand" href="/">Rempart</a>
            <Navigation shell={shell} />
          </div>
        </header>
        <main id="contenu" tabindex="-1">
          {children}
        </main>
      </body>
    </html>
  );
}

function Navigation({ shell }: { shell: Shell }): JSX.Element {
  if (shell.navigation.length === 0) return '';
  return (
    <>
      <nav aria-label="Navigation principale">
        <ul>
          {shell.navigation.map((link) => (
            <li><a href={link.href} aria-current={link.href === shell.path ? 'page' : undefined} safe>{link.label}</a></li>
          ))}
        </ul>
      </nav>
      <form method="post" action="/auth/logout">
        <input type="hidden" name={CSRF_FIELD} value={shell.csrf ?? ''} />
        <button type="submit">Se déconnecter</button>
      </form>
    </>
  );
}
