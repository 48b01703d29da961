// Architecture rules checked by `npm run lint` (dependency-cruiser): which part of the code may import which.
// Each rule's comment is printed with a violation.
const { builtinModules } = require('node:module');

/**
 * The main/ folders from the bottom up, written down once: a folder may import main/ folders of lower tiers only,
 * never its own tier or a higher one, so main/ has no folder-level cycles. A new main/ folder gets a tier here.
 */
const mainTiers = [
  ['shared', 'version.ts'],
  ['observability', 'config', 'outbox'],
  ['secrets', 'sandbox', 'delivery', 'shaping'],
  ['alerts', 'diagnostics'],
  ['engine'],
  ['api'],
  ['console'],
  ['commands', 'desktop'],
  ['electron'],
  ['cli.ts', 'start.ts'],
];

/** Only these main/ folders may import connectors/registry.ts (the one list of connectors). */
const registryUsers = ['engine', 'config', 'api', 'commands', 'console', 'alerts', 'diagnostics'];

/** `^main/(a|b)(/|$)`: a folder's files or a top-level file, by name. */
const mainPaths = (names) => `^main/(${names.map((name) => name.replace('.', '\\.')).join('|')})(/|$)`;

const tierRules = mainTiers.flatMap((tier, level) => {
  const below = mainTiers.slice(0, level).flat();
  return tier.map((name) => ({
    name: `main-tier-${name.replace('.ts', '')}`,
    comment:
      `main/${name} may import from main/ only the lower tiers (${below.map((b) => `main/${b}`).join(', ') || 'nothing'}): ` +
      'main/ folders sit in the tiers listed in .dependency-cruiser.cjs and import downwards only.',
    severity: 'error',
    from: { path: mainPaths([name]) },
    to: { path: '^main/', pathNot: mainPaths([name, ...below]) },
  }));
});

/** Node's own modules as dependency-cruiser names them (`node:fs` resolves to `fs`). */
const nodeBuiltins = `^(node:)?(${builtinModules.join('|')})$`;

/** Matches any import of project code (or another local file) outside `allowed`; packages and Node modules pass. */
const localCodeOutside = (allowed) => ({
  pathNot: [...allowed, '(^|/)node_modules/'],
  dependencyTypesNot: ['core'],
});
const connectorsAllowed = ['^connectors/core/', '^main/shared/', '^preload/contract/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'No module may import itself through others: cycles (type-only imports included) are not allowed.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'Every import must resolve to a file or an installed package (else the rules here cannot see it).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'main-folder-without-tier',
      comment:
        'Every main/ folder and top-level file is placed in a tier of mainTiers in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^main/', pathNot: mainPaths(mainTiers.flat()) },
      to: {},
    },
    ...tierRules,
    {
      name: 'shared-imports-only-itself',
      comment: 'main/shared holds the helpers everyone uses: it imports only itself and packages.',
      severity: 'error',
      from: { path: '^main/shared/' },
      to: localCodeOutside(['^main/shared/']),
    },
    {
      name: 'core-imports-only-core',
      comment:
        'connectors/core imports only itself, main/shared, preload/contract and packages: never a connector ' +
        'folder, connectors/registry.ts or the rest of main/.',
      severity: 'error',
      from: { path: '^connectors/core/' },
      to: localCodeOutside(connectorsAllowed),
    },
    {
      name: 'connector-imports-only-its-folder',
      comment:
        'A connector folder (connectors/sources/<name>/, connectors/destinations/<name>/) imports only its own ' +
        'folder, connectors/core, main/shared, preload/contract and packages: never another connector or main/.',
      severity: 'error',
      from: { path: '^connectors/(sources|destinations)/([^/]+)/' },
      to: localCodeOutside(['^connectors/$1/$2/', ...connectorsAllowed]),
    },
    {
      name: 'registry-imports-only-connectors',
      comment:
        'connectors/registry.ts lists the connectors: it imports connectors/, main/shared, preload/contract ' +
        'and packages, nothing else of main/.',
      severity: 'error',
      from: { path: '^connectors/registry\\.ts$' },
      to: localCodeOutside(['^connectors/', '^main/shared/', '^preload/contract/']),
    },
    {
      name: 'registry-only-from-hosts',
      comment: `Only ${registryUsers.map((name) => `main/${name}`).join(', ')} may import connectors/registry.ts.`,
      severity: 'error',
      from: { pathNot: mainPaths(registryUsers) },
      to: { path: '^connectors/registry\\.ts$' },
    },
    {
      name: 'outbox-delivery-no-connector',
      comment:
        'main/outbox and main/delivery work for every connector: they import connectors/core only, never a ' +
        'connector folder or connectors/registry.ts.',
      severity: 'error',
      from: { path: '^main/(outbox|delivery)/' },
      to: { path: '^connectors/', pathNot: '^connectors/core/' },
    },
    {
      name: 'renderer-no-main',
      comment:
        "The renderer talks to main only through window.agent or the console's HTTP API: it imports nothing of " +
        'main/ nor preload/*.ts outside preload/contract.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(main/|preload/[^/]+$)' },
    },
    {
      name: 'renderer-connector-browser-safe-only',
      comment:
        "Of connectors/, the renderer imports only the browser-safe modules: a connector's config.ts or form.ts " +
        '(connectors/sources|destinations/<name>/) and connectors/core/connector-form.ts.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: {
        path: '^connectors/',
        pathNot: [
          '^connectors/(sources|destinations)/[^/]+/(config|form)\\.ts$',
          '^connectors/core/connector-form\\.ts$',
        ],
      },
    },
    {
      name: 'renderer-no-node',
      comment:
        'The renderer runs in a sandboxed browser page: nothing it imports, directly or through other modules ' +
        '(a connector config.ts included), may use a Node module.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: nodeBuiltins, reachable: true },
    },
    {
      name: 'contract-browser-safe',
      comment:
        'preload/contract is shared with the browser: it imports only itself and packages (no Node module, no ' +
        'other project code).',
      severity: 'error',
      from: { path: '^preload/contract/' },
      to: { pathNot: ['^preload/contract/', '(^|/)node_modules/'] },
    },
    {
      name: 'cli-declarations-load-commands-lazily',
      comment:
        "main/cli.ts and main/commands/*-declaration.ts only declare commands (names, options, help): a command's " +
        'code is imported in its action with lazyAction(() => import(…)), so --help, short commands and the running ' +
        'agent do not load every other command. Statically they import commander, each other, lazy-action.ts, ' +
        'cli-error.ts, version.ts and small constant modules only.',
      severity: 'error',
      from: { path: '^main/(cli\\.ts|commands/([^/]+-declaration|lazy-action|cli-error)\\.ts)$' },
      to: {
        dynamic: false,
        dependencyTypesNot: ['type-only', 'core'],
        pathNot: [
          '^main/commands/([^/]+-declaration|lazy-action|cli-error)\\.ts$',
          '^main/version\\.ts$',
          '^main/diagnostics/bundle/bundle-limits\\.ts$',
          '^connectors/core/connector\\.ts$',
          '(^|/)node_modules/commander/',
        ],
      },
    },
    {
      name: 'electron-only-in-shell',
      comment: "Only main/electron and preload (index.ts, ipc-channels.ts) may import 'electron'.",
      severity: 'error',
      from: { pathNot: ['^main/electron/', '^preload/[^/]+\\.ts$'] },
      to: { path: '(^|/)node_modules/electron/|^electron$' },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // Type-only imports count: an `import type` across a boundary is a dependency like any other.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
