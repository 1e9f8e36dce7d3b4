// The folder rules of ARCHITECTURE.md, checked by `npm run lint:deps` (part of `npm test`).
// The flow points one way: cli → api → run → adapters → core; compile/ and graph/ are pure.

const CORE = '^src/(manifest|batch|config|sql|log|util|types)/|^src/(errors|connections)\\.ts$';
const PURE = '^src/(compile|graph|manifest)/';
const ADAPTERS = '^src/(warehouse|extract|load|governance|report|project-files|docs-site)/';
const IO_MODULES = ['^(node:)?(fs|fs/promises|net)$', '(^|/)node_modules/(pg|pg-copy-streams|@aws-sdk/[^/]+)/', '^(pg|pg-copy-streams)$', '^@aws-sdk/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Two top-level folders of src/ never import each other, directly or around a loop: shared contracts get a folder of their own (manifest/, batch/, util/).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+$' },
      to: { circular: true, path: '^src/[^/]+$' },
    },
    {
      name: 'no-module-cycles',
      comment: 'No import loop between modules either.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'pure-compile-graph-manifest',
      comment: 'compile/, graph/ and the manifest model are pure functions of what they are given: no files, sockets, databases or AWS. Reading the project is project-files/.',
      severity: 'error',
      from: { path: PURE },
      to: { path: IO_MODULES },
    },
    {
      name: 'diagnose-below-the-api',
      comment: 'The checks of debug and smoke drive the adapters and materializations themselves; api/ calls them, never the reverse.',
      severity: 'error',
      from: { path: '^src/diagnose/' },
      to: { path: '^src/(api|cli|local)/' },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'cli/ parses and prints; everything it does is reachable through api/.',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'cli-uses-the-api',
      comment: 'cli/ parses, calls api/ and prints: it reaches the machinery only through api/ (and the core types).',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: ['^src/(cli|api)/', CORE] },
    },
    {
      name: 'local-uses-the-api',
      comment: 'The demo and the generators drive pgshift through api/, like any other caller, not through the CLI or the runner.',
      severity: 'error',
      from: { path: '^src/local/' },
      to: { path: '^src/(cli|run)/' },
    },
    {
      name: 'core-imports-only-core',
      comment: 'The shared contracts (manifest, batch, config, sql, log, util, errors) sit at the bottom: they import nothing above them.',
      severity: 'error',
      from: { path: CORE },
      to: { path: '^src/', pathNot: CORE },
    },
    {
      name: 'compile-graph-import-only-core',
      comment: 'compile/ and graph/ build on the core only (compile/ uses graph/ for the DAG and selectors.yml, never the reverse).',
      severity: 'error',
      from: { path: '^src/(compile|graph)/' },
      to: { path: '^src/(cli|api|run|local|warehouse|extract|load|governance|report|project-files|docs-site)/' },
    },
    {
      name: 'graph-does-not-import-compile',
      severity: 'error',
      from: { path: '^src/graph/' },
      to: { path: '^src/compile/' },
    },
    {
      name: 'adapters-import-down',
      comment: 'Adapters (warehouse, extract, load, governance, report, project-files) never reach up into the runner, the API, the CLI or the demo.',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: '^src/(cli|api|run|local)/' },
    },
    {
      name: 'adapters-share-only-the-warehouse',
      comment: 'Among the adapters only warehouse/ is imported by the others; what extract, load, governance and report share (batch layout, schema names) lives in batch/ or manifest/. docs-site/ writes HTML with the report\'s one escaping helper.',
      severity: 'error',
      from: { path: '^src/(warehouse|extract|load|governance|report|project-files|docs-site)/' },
      to: { path: '^src/(extract|load|governance|report|project-files|docs-site)/', pathNot: ['^src/$1/', '^src/report/html/safe-html\\.ts$'] },
    },
    {
      name: 'warehouse-is-the-lowest-adapter',
      severity: 'error',
      from: { path: '^src/warehouse/' },
      to: { path: '^src/(extract|load|governance|report|project-files|docs-site)/' },
    },
    {
      name: 'run-executes-only',
      comment: 'run/ executes a compiled, planned project: it renders through the manifest\'s NodeRenderer, not the compiler.',
      severity: 'error',
      from: { path: '^src/run/' },
      to: { path: '^src/(cli|api|local|compile)/' },
    },
    {
      name: 'api-below-cli',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/(cli|local)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: ['^src/', 'node_modules/(pg|pg-copy-streams|@aws-sdk)/', '^(node:)?(fs|fs/promises|net)$'],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
  },
};
