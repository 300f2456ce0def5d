import { basename, join } from 'node:path';
import { build } from 'esbuild';

/** The browser's entry points, in src/web/browser: each page's script, the one stylesheet and the icon. */
export const ENTRY_POINTS = [
  'administration.ts', 'care.ts', 'invoices.ts', 'passkeys.ts', 'security-alerts.ts', 'security-account.ts', 'security-incidents.ts', 'security-incident.ts', 'agreements.ts', 'payments.ts', 'site-admin.ts',
  'insurer-home.ts', 'insurer-invoices.ts', 'insurer-funding.ts', 'insurer-incidents.ts', 'rempart.css', 'favicon.svg',
];

/** A bundled asset: the name pages ask for (`care.js`), the file served (`care-HASH.js`), its bytes. */
export interface BundledAsset { name: string; file: string; contents: Uint8Array }

/**
 * Bundles the browser code with esbuild: TypeScript to one script per page, names carrying
 * a hash of their content so that a browser never runs yesterday's script with today's page
 * (and the files can be cached for good). Development bundles in memory; the build writes them.
 */
export async function bundleBrowser(sourceDir: string): Promise<BundledAsset[]> {
  const result = await build({
    entryPoints: ENTRY_POINTS.map((entry) => join(sourceDir, entry)),
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    entryNames: '[name]-[hash]',
    outdir: 'static',
    write: false,
    metafile: true,
    logLevel: 'silent',
    loader: { '.svg': 'copy' },
  });
  return result.outputFiles.map((output) => {
    const file = basename(output.path);
    return { name: file.replace(/-[A-Z0-9]+(\.\w+)$/, '$1'), file, contents: output.contents };
  });
}
