import { defineScenario } from '../types.js';

export default defineScenario({
  name: 'smoke',
  description: 'A few starts per second of the baseline kinds for 30 s: proves the path end to end',
  executor: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '1s', duration: '30s', maxVUs: 100 },
  mix: [
    { kind: 'activity', weight: 3 },
    { kind: 'noop', weight: 1 },
  ],
  warmup: '2s',
  thresholds: {
    errors: ['rate<0.01'],
    start_latency: ['p(99)<1000'],
    workflow_e2e: ['p(99)<5000'],
  },
});
