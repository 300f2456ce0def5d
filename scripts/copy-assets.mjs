// Copies the non-TypeScript assets (SQL migrations, the shield's Redis script) next to the compiled code.
import { cpSync } from 'node:fs';

cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true, filter: (p) => !p.endsWith('.ts') });
cpSync('src/shield/counters/redis-observe.lua', 'dist/shield/counters/redis-observe.lua');
