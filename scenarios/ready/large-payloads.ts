import { defineScenario } from '../types.js';

export default defineScenario({
  name: 'large-payloads',
  description: '50 starts/s moving 256 KiB through input, activity and result: persistence and history size',
  executor: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '2m', maxVUs: 1000 },
  mix: [
    { kind: 'payload', weight: 3, tag: 'payload64k', input: { inputBytes: 65536, resultBytes: 65536, activityBytes: 65536, activityCount: 1 } },
    { kind: 'payload', weight: 1, tag: 'payload256k', input: { inputBytes: 262144, resultBytes: 262144, activityBytes: 262144, activityCount: 2 } },
  ],
  warmup: '10s',
  cooldown: '5s',
  thresholds: {
    'start_latency{kind:payload256k}': ['p(99)<1000'],
    workflow_e2e: ['p(99)<5000'],
    errors: ['rate<0.01'],
  },
});
