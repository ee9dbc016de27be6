import { defineScenario } from '../types.js';

export default defineScenario({
  name: 'ramp',
  description: 'Ramps 50 → 1000 starts/s in steps, holding each, then back down: where does latency bend?',
  executor: {
    executor: 'ramping-arrival-rate',
    startRate: 50,
    timeUnit: '1s',
    maxVUs: 10000,
    stages: [
      { target: 250, duration: '1m' },
      { target: 250, duration: '1m' },
      { target: 500, duration: '1m' },
      { target: 500, duration: '1m' },
      { target: 1000, duration: '2m' },
      { target: 1000, duration: '1m' },
      { target: 0, duration: '30s' },
    ],
  },
  mix: [
    { kind: 'activity', weight: 8 },
    { kind: 'chain', weight: 2, input: { length: 5 } },
  ],
  warmup: '30s',
  cooldown: '30s',
  thresholds: {
    'start_latency{kind:activity}': ['p(99)<1000'],
    'start_latency{kind:chain}': ['p(99)<1000'],
    errors: ['rate<0.02'],
  },
});
