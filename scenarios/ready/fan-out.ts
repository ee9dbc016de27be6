import { defineScenario } from '../types.js';

export default defineScenario({
  name: 'fan-out',
  description: '20 starts/s of wide workflows: 50 parallel activities or 10 child workflows each (transfer tasks across shards)',
  executor: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '2m', maxVUs: 1000 },
  mix: [
    { kind: 'fanout', weight: 3, input: { count: 50 } },
    { kind: 'children', weight: 1, input: { count: 10, child: 'activity' } },
  ],
  warmup: '10s',
  cooldown: '10s',
  thresholds: {
    workflow_e2e: ['p(99)<10000'],
    errors: ['rate<0.01'],
    workflow_failures: ['rate<0.001'],
  },
});
