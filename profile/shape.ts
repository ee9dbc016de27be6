/**
 * What one workflow history did, read from its events: the commands it issued (activities, local
 * activities, timers, children, continue-as-new) grouped by the workflow task that issued them (one
 * task's commands run concurrently), the signals and updates it received, and payload sizes (sizes
 * only: no payload content is kept).
 */
import type { HistoryEvent } from './read.js';
import { timestampMs } from './read.js';

export type ObservedStep = { kind: 'activity'; ms: number; inputBytes: number; resultBytes: number } | { kind: 'localActivity' } | { kind: 'timer'; ms: number } | { kind: 'child'; ms: number } | { kind: 'continueAsNew' };

export type StepKindName = ObservedStep['kind'] | 'signal' | 'update';

export interface HistoryShape {
  /** Command groups in order; the steps of one group were issued by one workflow task. */
  groups: ObservedStep[][];
  /** Signals by name: how many, and when the first arrived (ms after the start). */
  signals: Map<string, { count: number; afterStartMs: number; beforeGroup: number }>;
  updates: number;
  inputBytes: number;
  resultBytes: number;
  durationMs: number;
}

type Payloads = { payloads?: { data?: Uint8Array | null }[] | null } | null | undefined;
const bytesOf = (p: Payloads): number => (p?.payloads ?? []).reduce((s, x) => s + (x.data?.length ?? 0), 0);
const durationMsOf = (d: { seconds?: unknown; nanos?: number | null } | null | undefined): number => timestampMs(d) ?? 0;
const idOf = (v: unknown): number => Number(v ?? 0);

/** The shape of one history (the events of one run, in order). */
export function shapeOf(events: HistoryEvent[]): HistoryShape {
  const timeOf = new Map(events.map((e) => [idOf(e.eventId), timestampMs(e.eventTime) ?? 0]));
  const startMs = timestampMs(events[0]?.eventTime) ?? 0;
  const groups = new Map<number, ObservedStep[]>();
  const add = (wft: unknown, step: ObservedStep) => {
    const key = idOf(wft);
    groups.set(key, [...(groups.get(key) ?? []), step]);
  };
  const activities = new Map<number, Extract<ObservedStep, { kind: 'activity' }>>();
  const startedAt = new Map<number, number>();
  const children = new Map<number, Extract<ObservedStep, { kind: 'child' }>>();
  const timers = new Map<string, Extract<ObservedStep, { kind: 'timer' }>>();
  const signals: HistoryShape['signals'] = new Map();
  const signalAt: { name: string; eventId: number }[] = [];
  let updates = 0;
  let inputBytes = 0;
  let resultBytes = 0;
  for (const e of events) {
    const id = idOf(e.eventId);
    const at = timestampMs(e.eventTime) ?? startMs;
    if (e.workflowExecutionStartedEventAttributes) inputBytes = bytesOf(e.workflowExecutionStartedEventAttributes.input);
    else if (e.workflowExecutionCompletedEventAttributes) resultBytes = bytesOf(e.workflowExecutionCompletedEventAttributes.result);
    else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      const step = { kind: 'activity' as const, ms: 0, inputBytes: bytesOf(a.input), resultBytes: 0 };
      activities.set(id, step);
      add(a.workflowTaskCompletedEventId, step);
    } else if (e.activityTaskStartedEventAttributes) startedAt.set(idOf(e.activityTaskStartedEventAttributes.scheduledEventId), at);
    else if (e.activityTaskCompletedEventAttributes) {
      const c = e.activityTaskCompletedEventAttributes;
      const step = activities.get(idOf(c.scheduledEventId));
      if (step) {
        step.resultBytes = bytesOf(c.result);
        step.ms = at - (startedAt.get(idOf(c.scheduledEventId)) ?? at);
      }
    } else if (e.markerRecordedEventAttributes && /local.?activity/i.test(e.markerRecordedEventAttributes.markerName ?? '')) {
      add(e.markerRecordedEventAttributes.workflowTaskCompletedEventId, { kind: 'localActivity' });
    } else if (e.timerStartedEventAttributes) {
      const t = e.timerStartedEventAttributes;
      const step = { kind: 'timer' as const, ms: durationMsOf(t.startToFireTimeout) };
      timers.set(t.timerId ?? '', step);
      add(t.workflowTaskCompletedEventId, step);
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      const step = { kind: 'child' as const, ms: 0 };
      children.set(id, step);
      add(e.startChildWorkflowExecutionInitiatedEventAttributes.workflowTaskCompletedEventId, step);
    } else if (e.childWorkflowExecutionCompletedEventAttributes) {
      const step = children.get(idOf(e.childWorkflowExecutionCompletedEventAttributes.initiatedEventId));
      if (step) step.ms = at - (timeOf.get(idOf(e.childWorkflowExecutionCompletedEventAttributes.initiatedEventId)) ?? at);
    } else if (e.workflowExecutionContinuedAsNewEventAttributes) add(e.workflowExecutionContinuedAsNewEventAttributes.workflowTaskCompletedEventId, { kind: 'continueAsNew' });
    else if (e.workflowExecutionSignaledEventAttributes) signalAt.push({ name: e.workflowExecutionSignaledEventAttributes.signalName ?? 'signal', eventId: id });
    else if (e.workflowExecutionUpdateAcceptedEventAttributes) updates++;
  }
  const order = [...groups.keys()].sort((a, b) => a - b);
  for (const s of signalAt) {
    const known = signals.get(s.name);
    // The workflow waited for it before the first group issued after it arrived.
    const before = order.findIndex((wft) => wft > s.eventId);
    if (known) known.count++;
    else signals.set(s.name, { count: 1, afterStartMs: (timeOf.get(s.eventId) ?? startMs) - startMs, beforeGroup: before < 0 ? order.length : before });
  }
  const lastMs = timestampMs(events.at(-1)?.eventTime) ?? startMs;
  return { groups: order.map((k) => groups.get(k)!), signals, updates, inputBytes, resultBytes, durationMs: lastMs - startMs };
}

/** How many of each kind of step a shape has: histories with equal counts have the same shape here. */
export function stepCounts(shape: HistoryShape): Record<StepKindName, number> {
  const counts: Record<StepKindName, number> = { activity: 0, localActivity: 0, timer: 0, child: 0, continueAsNew: 0, signal: 0, update: shape.updates };
  for (const g of shape.groups) for (const s of g) counts[s.kind]++;
  for (const { count } of shape.signals.values()) counts.signal += count;
  return counts;
}

/** A key equal for histories of the same shape: step counts and the grouping of commands. */
export function shapeKey(shape: HistoryShape): string {
  return `${shape.groups
    .map((g) =>
      g
        .map((s) => s.kind)
        .sort()
        .join('+'),
    )
    .join(' > ')} | ${[...shape.signals].map(([n, s]) => `${n}×${s.count}@${s.beforeGroup}`).join(',')} | u${shape.updates}`;
}
