// Bundles the browser code (src/web/browser) into dist/static, with the manifest the server reads at start.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleBrowser } from '../src/web/assets/bundle.js';
import { MANIFEST } from '../src/web/assets/store.js';

const out = 'dist/static';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const assets = await bundleBrowser('src/web/browser');
for (const asset of assets) writeFileSync(join(out, asset.file), asset.contents);
writeFileSync(join(out, MANIFEST), JSON.stringify(Object.fromEntries(assets.map((asset) => [asset.name, asset.file])), null, 2));
