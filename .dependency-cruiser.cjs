/**
 * The folder dependencies temporal-bench allows, checked by `npm run deps` (scripts/test runs it).
 * The pipeline reads downward: cli/ (commands) → the stages (scenarios, runner, workers, merge,
 * capacity, reports, compare, soak, history, profile, monitoring, faults, setup) → metrics, stack,
 * catalog, workflows, activities → core/. Violations that predate a rule are listed in
 * .dependency-cruiser-known-violations.json (issue 18 removes them); a new one fails the check.
 */
const sourceFolders = '^(activities|capacity|catalog|cli|compare|core|faults|generator|history|merge|metrics|monitoring|profile|recorder|reports|runner|scenarios|schedule|setup|soak|stack|workers|workflows)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No file-level import cycles at run time (type-only imports are erased and may go both ways).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'commands-on-top',
      severity: 'error',
      comment: 'cli/ is the command layer: nothing below it imports it.',
      from: { path: sourceFolders, pathNot: '^cli/' },
      to: { path: '^cli/' },
    },
    {
      name: 'core-at-the-bottom',
      severity: 'error',
      comment: 'core/ (errors, connection settings, package paths) stands on nothing of the project.',
      from: { path: '^core/' },
      to: { path: sourceFolders, pathNot: '^core/' },
    },
    {
      name: 'workflow-sandbox',
      severity: 'error',
      comment: "Workflow code is bundled into Temporal's deterministic sandbox: the SDK's workflow package, its own folder and activity types only.",
      from: { path: '^workflows/' },
      to: {
        pathNot: ['^workflows/', '^activities/index\\.ts$', '@temporalio/workflow', '@temporalio/common'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'catalog-outside-the-sandbox',
      severity: 'error',
      comment: 'The workflow catalog is read by the CLI and the runner; the sandbox must not pull it in.',
      from: { path: '^workflows/' },
      to: { path: '^catalog/' },
    },
    {
      name: 'schedule-is-pure',
      severity: 'error',
      comment: 'schedule/ (rate math, the mix, segments) knows nothing of how starts are made or recorded.',
      from: { path: '^schedule/' },
      to: { path: '^(generator|recorder|runner)/' },
    },
    {
      name: 'generator-below-the-runner',
      severity: 'error',
      comment: 'generator/ (models, dispatcher, start client, child processes) is driven by runner/, never the reverse.',
      from: { path: '^generator/' },
      to: { path: '^runner/' },
    },
    {
      name: 'recorder-below-the-run',
      severity: 'error',
      comment: 'recorder/ (schema, reader, timeline, hlog, summary, thresholds) is read by every later stage; it may name their types only.',
      from: { path: '^recorder/' },
      to: { path: '^(generator|runner)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'outputs-behind-their-interface',
      severity: 'error',
      comment: "A run's outputs (runner/outputs/) are used through RunOutput (runner/output.ts) only: the run takes its list from runner/outputs/index.ts, the command builds the after-run ones (cli/run-finish.ts).",
      from: { path: sourceFolders, pathNot: ['^runner/outputs/', '^cli/run-finish\\.ts$'] },
      to: { path: '^runner/outputs/', pathNot: '^runner/outputs/index\\.ts$' },
    },
    {
      name: 'stages-not-from-tests-or-benchmarks',
      severity: 'error',
      comment: 'Shipped code never imports test helpers, benchmarks or scripts.',
      from: { path: sourceFolders },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|test|bench|scripts|tools|deploy|compose)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
