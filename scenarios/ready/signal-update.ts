import { names } from '../../workflows/types.js';
import { defineScenario } from '../types.js';

export default defineScenario({
  name: 'signal-update',
  description: 'Signal- and update-heavy: each workflow gets 5 signals, or 3 updates, a query and a finish signal',
  executor: { executor: 'constant-arrival-rate', rate: 100, timeUnit: '1s', duration: '2m', maxVUs: 2000 },
  mix: [
    {
      kind: 'signals',
      weight: 1,
      input: { count: 5 },
      interactions: [{ type: 'signal', name: names.signal, args: ['ping'], count: 5 }],
    },
    {
      kind: 'update',
      weight: 1,
      input: { maxUpdates: 0 },
      interactions: [
        { type: 'update', name: names.update, args: ['value'], count: 3 },
        { type: 'query', name: names.received, count: 1, delay: '200ms' },
        { type: 'signal', name: names.finish, count: 1, delay: '1s' },
      ],
    },
  ],
  warmup: '10s',
  cooldown: '5s',
  thresholds: {
    signal_latency: ['p(99)<500'],
    update_latency: ['p(99)<1000'],
    query_latency: ['p(99)<1000'],
    errors: ['rate<0.01'],
  },
});
