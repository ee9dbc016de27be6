import { defineScenario } from '../types.js';

export default defineScenario({
  name: 'baseline',
  description: 'The single-activity baseline with no thresholds of its own: the default workload of bench capacity, whose --slo decides',
  executor: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '30s', maxVUs: 5000 },
  mix: [{ kind: 'activity', weight: 1 }],
  thresholds: {},
});
