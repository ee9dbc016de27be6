import { defineScenario } from '../types.js';

export default defineScenario({
  name: 'soak',
  description: '200 starts/s of a production-like mix for 1 hour: leaks, history growth, retention and cache behaviour',
  executor: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '1h', maxVUs: 5000 },
  mix: [
    { kind: 'activity', weight: 6 },
    { kind: 'chain', weight: 2, input: { length: 5 } },
    { kind: 'timers', weight: 1, input: { count: 2, durationMs: 2000 } },
    { kind: 'continue-as-new', weight: 1, input: { iterationsPerRun: 10, totalIterations: 30 } },
  ],
  warmup: '1m',
  cooldown: '1m',
  workflowExecutionTimeout: '30m',
  thresholds: {
    start_latency: ['p(99)<500'],
    workflow_e2e: ['p(99)<10000'],
    errors: ['rate<0.001'],
    workflow_failures: ['rate<0.001'],
  },
});
