import type { Availability, AvailabilityWindow, FaultRecord, ResultFile } from '../recorder/result-schema.js';
import type { ChartSection, ChartSpec } from './chart-spec.js';
import { compact } from './format.js';

/** Shared wording and chart overlays for injected faults and outage windows, used by every output. */

/** "kill history-1"; an exec names its command instead of the placeholder target. */
export function faultLabel(f: FaultRecord): string {
  if (f.action !== 'exec') return `${f.action} ${f.target}`;
  const cmd = (f.cmd ?? f.target).replace(/\s+/g, ' ').trim();
  return `exec ${cmd.length > 40 ? `${cmd.slice(0, 39)}…` : cmd}`;
}

/** A paused target comes back by resume; a killed or stopped one by restart. */
export function restartLabel(f: FaultRecord): string {
  return `${f.action === 'pause' ? 'resume' : 'restart'} ${f.target}`;
}

/** Seconds from t0 as "t=15.2 s". */
export const atS = (s: number | null | undefined): string => (s === null || s === undefined ? '—' : `t=${compact(s)} s`);

export const codesText = (byCode: Record<string, number>): string =>
  Object.entries(byCode)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}: ${compact(v)}`)
    .join(', ');

export function windowLabel(w: AvailabilityWindow): string {
  return `outage ${compact(w.startS)}–${compact(w.endS)} s (${w.signals.join(', ') || 'no signal'})`;
}

/** True when the report should say anything about availability at all. */
export function hasAvailability(result: ResultFile): boolean {
  return (result.faults?.length ?? 0) > 0 || (result.availability?.windows.length ?? 0) > 0;
}

/** What a fault did to clients, in words: "outage: first error after 1.2 s, recovered 3 s after the restart". */
export function impactText(result: ResultFile, index: number): string {
  const impact = result.availability?.faults.find((i) => i.fault === index);
  if (!impact) return result.faults?.[index]?.firedAtS === null ? 'not fired' : 'not analysed';
  if (impact.impact === 'no visible impact') return 'no visible impact';
  const first = impact.firstErrorAfterS === null ? 'no error seen' : `first error after ${compact(impact.firstErrorAfterS)} s`;
  const recovery = impact.recoveryS === null ? 'not recovered by the end of the run' : `recovered in ${compact(impact.recoveryS)} s`;
  return `outage: ${first}, ${recovery}`;
}

/** Totals every output prints, in order: [label, value]. */
export function availabilityFigures(a: Availability): [string, string][] {
  const byCode = codesText(a.failedStartsByCode);
  return [
    ['unavailable', `${compact(a.unavailableSeconds)} s in ${a.windows.length} window(s)`],
    ['starts failed', `${compact(a.failedStarts)}${byCode ? ` (${byCode})` : ''}`],
    ['started, answer lost', compact(a.startedAnswerLost)],
    ['delayed workflows', compact(a.delayedWorkflows)],
    ['lost work', compact(a.lostWork)],
  ];
}

type Overlay = Pick<ChartSpec, 'markers' | 'outages'>;

/** Fault and restart markers plus outage bands, in seconds from t0 (the x of every time chart). */
export function chartOverlay(result: Pick<ResultFile, 'faults' | 'availability'>): Overlay {
  const markers: NonNullable<ChartSpec['markers']> = [];
  for (const f of result.faults ?? []) {
    if (f.firedAtS !== null) markers.push({ x: f.firedAtS, label: faultLabel(f), kind: 'fault' });
    if (f.restartedAtS !== null) markers.push({ x: f.restartedAtS, label: restartLabel(f), kind: 'restart' });
  }
  const outages = (result.availability?.windows ?? []).map((w) => ({ from: w.startS, to: w.endS, label: windowLabel(w) }));
  return { ...(markers.length ? { markers } : {}), ...(outages.length ? { outages } : {}) };
}

/** Adds the overlay to every time chart of the sections; rate and spectrum charts have no time axis. */
export function withOverlay(sections: ChartSection[], overlay: Overlay): ChartSection[] {
  if (!overlay.markers && !overlay.outages) return sections;
  return sections.map((s) => ({ ...s, charts: s.charts.map((c) => (c.xKind === 'time' ? { ...c, ...overlay } : c)) }));
}
