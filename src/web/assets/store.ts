import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BundledAsset } from './bundle.js';

/** The manifest the build writes beside the bundles (scripts/bundle-browser.ts): asked-for name → hashed file. */
export const MANIFEST = 'manifest.json';

/** The bundled browser code and stylesheet, served from memory, and each one's URL for the pages. */
export class Assets {
  private readonly byFile = new Map<string, Uint8Array>();
  private readonly urls = new Map<string, string>();

  constructor(assets: readonly BundledAsset[]) {
    for (const asset of assets) {
      this.byFile.set(asset.file, asset.contents);
      this.urls.set(asset.name, `/static/${asset.file}`);
    }
  }

  /** The URL of `care.js` or `rempart.css`; an unknown name is the page's bug. */
  url(name: string): string {
    const url = this.urls.get(name);
    if (url === undefined) throw new Error(`ressource inconnue : ${name}`);
    return url;
  }

  contents(file: string): Uint8Array | undefined {
    return this.byFile.get(file);
  }
}

/**
 * The built assets when running from dist (dist/static, written by the build), else a fresh
 * bundle of src/web/browser (tests and development run from the sources: esbuild is a
 * development dependency, never loaded from dist).
 */
export function loadAssets(): Promise<Assets> {
  // Once per process: every server built in it (the tests build many) serves the same files.
  loaded ??= load();
  return loaded;
}

let loaded: Promise<Assets> | undefined;

async function load(): Promise<Assets> {
  const built = new URL('../../static/', import.meta.url);
  const manifest = new URL(MANIFEST, built);
  if (existsSync(manifest)) {
    const names = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;
    return new Assets(Object.entries(names).map(([name, file]) => ({ name, file, contents: readFileSync(new URL(file, built)) })));
  }
  const { bundleBrowser } = await import('./bundle.js');
  return new Assets(await bundleBrowser(fileURLToPath(new URL('../browser/', import.meta.url))));
}
