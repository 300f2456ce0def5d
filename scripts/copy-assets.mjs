// Copies the non-TypeScript assets (SQL migrations, the shield's Redis script, the SEPA schemas) next to the compiled code.
// The migrations folder is replaced, not merged: a migration renamed or removed in src must not linger in dist and be applied.
import { cpSync, rmSync } from 'node:fs';

rmSync('dist/db/migrations', { recursive: true, force: true });
cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true, filter: (p) => !p.endsWith('.ts') });
cpSync('src/shield/counters/redis-observe.lua', 'dist/shield/counters/redis-observe.lua');
cpSync('src/payments/sepa/xsd', 'dist/payments/sepa/xsd', { recursive: true, filter: (p) => !p.endsWith('.md') });
