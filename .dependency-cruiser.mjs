/**
 * The arrows of src that point one way (issue 14, point 4; README, "Layout").
 * Run by `npm run depcruise`, itself part of `npm test`.
 */
/**
 * Plumbing: the database's door, the vault of keys, HTTP's cross-cutting plugins, and the
 * access log (it records and signs whatever it is given, importing only db and vault).
 */
const plumbing = '^src/(db|vault|http|audit)/';

export default {
  forbidden: [
    {
      name: 'domain-stands-alone',
      comment: 'src/domain is the core: it imports nothing of the rest of src, no node builtin (none today), no package but these two.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        pathNot: [
          '^src/domain/',
          // The seeded generator behind domain/random.ts (the synthetic data set and the simulations replay their draws).
          '^(node_modules/)?pure-rand/',
          // The IBAN checksum and country formats behind domain/identifiers/iban.ts.
          '^node_modules/ibantools/',
        ],
      },
    },
    {
      name: 'no-module-cycle',
      comment: 'No two files import each other, directly or through others.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment:
        'No two top folders of src import each other, directly or through others. At folder scope a folder holds its subfolders\' ' +
        'dependencies, so an arrow between two top folders stands for every import between them; the rule keeps to top folders ' +
        '(subfolders of one module, e.g. registry/ingest and registry/directory, may still lean on each other).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+$' },
      to: { path: '^src/[^/]+$', circular: true },
    },
    {
      name: 'plumbing-imports-no-feature',
      comment: 'Plumbing serves the features and imports none of them (nor the assembly, nor the command line): only plumbing and the domain.',
      severity: 'error',
      from: { path: plumbing },
      to: { path: '^src/', pathNot: [plumbing, '^src/domain/'] },
    },
    {
      name: 'pages-write-no-sql',
      comment:
        'Pages (src/web) hold no SQL: they read through the functions of the modules that own the data, the ones the API routes use. ' +
        'They may name the Database type to hand it on, nothing more of src/db.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/db/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'browser-code-stands-alone',
      comment:
        'The browser bundle (src/web/browser) runs in the person\'s browser: it imports only its own folder and the pure return-path rule, ' +
        'never server code (which would drag Node, keys or SQL into the bundle) — the server reaches it only through HTTP.',
      severity: 'error',
      from: { path: '^src/web/browser/' },
      to: { pathNot: ['^src/web/browser/', '^src/http/return-path\\.ts$'] },
    },
    {
      name: 'server-imports-no-browser-code',
      comment: 'The browser code is bundled for the browser, never imported by the server.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/web/browser/' },
      to: { path: '^src/web/browser/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Tests and their support build whole platforms (src/app) from inside the modules they test: left out of the graph.
    exclude: { path: '\\.test\\.tsx?$|/test-support/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
