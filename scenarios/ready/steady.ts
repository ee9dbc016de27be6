import { defineScenario } from '../types.js';

export default defineScenario({
  name: 'steady',
  description: '500 starts/s of the single-activity baseline for 5 minutes (open model): latency under the target load',
  executor: { executor: 'constant-arrival-rate', rate: 500, timeUnit: '1s', duration: '5m', maxVUs: 5000 },
  mix: [{ kind: 'activity', weight: 1 }],
  warmup: '30s',
  cooldown: '10s',
  thresholds: {
    start_latency: ['p(95)<150', 'p(99)<500'],
    workflow_e2e: ['p(99)<2000'],
    errors: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '60s' }],
    dropped: ['rate<0.001'],
  },
});
