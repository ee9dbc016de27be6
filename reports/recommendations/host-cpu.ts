import { consumerEvidence, consumerLabel, hostBusyEvidence, hostBusyLimit, isHarness, resourceScore, resourceWindow, saturated, shareOf, topConsumersText } from './resource-stats.js';
import type { Evidence, Rule } from './types.js';

/** Share of the busy CPU above which the harness (or other processes) is named as what to move. */
const movableShare = 0.25;

/**
 * Every core of the runner's host is busy: server, database, workers and generator wait for CPU,
 * and every latency figure includes that wait. Names the top consumers and whether the harness
 * itself is among them, since that is the part a user can move elsewhere.
 */
export const hostCpu: Rule = {
  id: 'host-cpu-saturated',
  symptom: `host CPU busy (sustained, p75 over the steady window) at or above ${hostBusyLimit * 100}% of its cores`,
  evaluate({ result }) {
    const w = resourceWindow(result);
    if (!w || !saturated(w)) return null;
    const harness = w.consumers.filter(isHarness).reduce((a, c) => a + c.mean, 0);
    const other = w.consumers.find((c) => c.kind === 'other')?.mean ?? 0;
    const harnessShare = shareOf(w, harness);
    const otherShare = shareOf(w, other);
    const top = w.consumers.filter((c) => c.mean > 0).slice(0, 4);
    // Named only when it matters: a harness process among the top three with at least a tenth of the busy CPU.
    const harnessInTop = top
      .slice(0, 3)
      .filter((c) => isHarness(c) && shareOf(w, c.mean) >= 0.1)
      .map((c) => c.id);
    const ev: Evidence[] = [hostBusyEvidence(w)];
    if (w.load1Sustained !== null) ev.push({ metric: 'load average, 1 min (/proc/loadavg)', observed: w.load1Sustained, limit: w.cores, unit: 'tasks', stat: `sustained (p75, ${w.label})` });
    ev.push(...top.map((c) => consumerEvidence(w, c)));
    ev.push({ metric: 'load harness CPU (bench workers, generators, coordinator)', observed: Math.round(harness * 1000) / 1000, limit: null, unit: 'cores', stat: `mean, ${Math.round(harnessShare * 100)}% of the busy CPU` });
    const harnessText = harnessInTop.length
      ? `The load harness is among the top consumers (${harnessInTop.join(', ')}): it uses ${harness.toFixed(2)} cores (${Math.round(harnessShare * 100)}%).`
      : `The load harness is not among the top consumers (${harness.toFixed(2)} cores, ${Math.round(harnessShare * 100)}%).`;
    const knob =
      harnessShare >= movableShare
        ? 'where the harness runs: bench worker and the generators on other hosts (bench run --workers 0 --worker-stats URL), or more cores for this host'
        : otherShare >= movableShare
          ? 'a quiet host: processes outside this run take a large share of the CPU'
          : `more cores for this host (${w.cores} now), or its largest consumer on a host of its own`;
    const invalid = !result.summary.valid;
    return {
      rule: this.id,
      title: `Host CPU saturated: ${w.busySustained.toFixed(2)} of ${w.cores} cores busy`,
      knob,
      action: `Top consumers (mean cores): ${topConsumersText(w)}. ${harnessText}${otherShare >= movableShare ? ` ${consumerLabel(w.consumers.find((c) => c.kind === 'other')!)} take ${other.toFixed(2)} cores.` : ''} Every latency in this run includes waiting for a core: fix the host before reading server limits.${invalid ? ' The generator ran late for the same reason.' : ''}`,
      confidence: 'high',
      // A late generator on a saturated host is a symptom of the host: rank above invalid-run (100).
      score: invalid ? 101 : resourceScore(Math.max(harnessShare, otherShare)),
      evidence: ev,
    };
  },
};
