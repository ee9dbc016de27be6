import { defineScenario } from '../types.js';

export default defineScenario({
  name: 'failover',
  description:
    'HA under load: 5 starts/s for 60 s while history replica 0 is killed (SIGKILL) at 15 s and restarted 20 s later. Needs a split local stack with replicas: bench stack up --topology split --replicas 2 --persistence postgres, then --address',
  executor: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '1s', duration: '60s', maxVUs: 1000 },
  mix: [{ kind: 'activity', weight: 1 }],
  faults: [{ at: '15s', action: 'kill', target: 'history', replica: 0, restartAfter: '20s' }],
  thresholds: {
    // Nothing the cluster acknowledged may be lost, and it must come back within 30 s of the restart.
    recovery_time: ['max<30000'],
  },
});
