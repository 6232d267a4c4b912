/**
 * sirbot's layers (docs/ARCHITECTURE.md), checked by `npm test`:
 * - domain: pure rules, imports nothing outside src/domain;
 * - application (actions, delivery, investigation, ingest, jobs) and the ports it owns (src/ports): the domain and small libraries (src/lib);
 * - adapters (slack, aws (with its evidence collectors), store, emulator, charts, paging): application and domain, never each other;
 * - composition (runtime, config, build): wires everything.
 * A violation fails `npm test` (`npm run lint`).
 */
const APPLICATION = '^src/(actions|delivery|investigation|ingest|jobs|ports)/';
const ADAPTERS = ['slack', 'aws', 'store', 'emulator', 'charts', 'paging'];

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import cycles: a cycle means two modules cannot be understood (or tested) apart.', from: {}, to: { circular: true } },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'The domain has no I/O and no dependencies: only other domain modules.',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'application-uses-ports',
      severity: 'error',
      comment: 'Use cases depend on the domain and on ports they own, never on an adapter or on the composition root.',
      from: { path: APPLICATION },
      to: { path: `^src/(${[...ADAPTERS, 'runtime', 'config', 'build'].join('|')})/` },
    },
    ...ADAPTERS.map((adapter) => ({
      name: `${adapter}-is-an-edge`,
      severity: 'error',
      comment: 'Adapters implement ports at the edges: they do not reach into each other or into the composition root.',
      from: { path: `^src/${adapter}/` },
      to: {
        path: `^src/(${[...ADAPTERS.filter((a) => a !== adapter), 'runtime', 'build'].join('|')})/`,
        // The one documented crossing (docs/ARCHITECTURE.md): the fake AWS accepts exactly the
        // credentials the local runtime's SDK clients sign with, defined once beside those clients.
        ...(adapter === 'emulator' ? { pathNot: '^src/aws/fake-credentials\\.ts$' } : {}),
      },
    })),
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/scenarios/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
