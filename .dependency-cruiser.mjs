// The import rules of kafka-webshop, checked by `make lint` (dependency-cruiser): arrows point one way,
// contracts <- kafka <- actors / order / cli, bench and test use src and never the reverse (test/bench/ alone tests
// bench/), and no cycle at all.

const topLayers = '^src/(actors|order|cli)/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'No import cycle anywhere, type-only ones included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'base-modules-import-no-layer',
      severity: 'error',
      comment: 'config, logger, errors, timeout and shutdown sit under every layer.',
      from: { path: '^src/[^/]+[.]ts$' },
      to: { path: '^src/(contracts|kafka|actors|order|cli)/' },
    },
    {
      name: 'contracts-import-no-layer-above',
      severity: 'error',
      comment: 'contracts are the bottom layer: topic names, envelope, schemas, the message shape.',
      from: { path: '^src/contracts/' },
      to: { path: '^src/(kafka|actors|order|cli)/' },
    },
    {
      name: 'kafka-imports-no-layer-above',
      severity: 'error',
      comment: 'kafka/ builds on contracts and knows nothing of the actors, the order service or the CLIs.',
      from: { path: '^src/kafka/' },
      to: { path: topLayers },
    },
    {
      name: 'top-layers-stay-apart',
      severity: 'error',
      comment: 'actors, order and cli each build on contracts and kafka, not on one another.',
      from: { path: '^src/(actors|order|cli)/' },
      to: { path: topLayers, pathNot: '^src/$1/' },
    },
    {
      name: 'only-kafka-imports-the-client',
      severity: 'error',
      comment: 'Only src/kafka/ imports @confluentinc/kafka-javascript.',
      from: { path: '^src/', pathNot: '^src/kafka/' },
      to: { path: 'node_modules/@confluentinc/kafka-javascript/' },
    },
    {
      name: 'only-order-imports-koa',
      severity: 'error',
      comment: 'Only src/order/ imports Koa.',
      from: { path: '^src/', pathNot: '^src/order/' },
      to: { path: 'node_modules/(koa|@koa/[^/]+)/' },
    },
    {
      name: 'src-imports-no-test-or-bench',
      severity: 'error',
      comment: 'bench/ and test/ use src/, never the reverse.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'tests-import-no-bench',
      severity: 'error',
      comment:
        'Tests do not import the benchmark (what both need lives in src/ or test/helpers.ts); test/bench/ holds the unit tests of its pure parts.',
      from: { path: '^test/', pathNot: '^test/bench/' },
      to: { path: '^bench/' },
    },
    {
      name: 'bench-imports-only-test-helpers',
      severity: 'error',
      comment: 'Of test/, the benchmark may use test/helpers.ts alone.',
      from: { path: '^bench/' },
      to: { path: '^test/', pathNot: '^test/helpers[.]ts$' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'Every import resolves: a rule cannot check what it cannot see.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are kept, so a cycle made of `import type` counts too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve package `exports` as Node does for ES modules (e.g. @opentelemetry/semantic-conventions/incubating).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
  },
};
