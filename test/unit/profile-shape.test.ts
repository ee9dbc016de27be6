import { describe, expect, it } from 'vitest';
import { profileType } from '../../profile/model.js';
import type { HistoryEvent } from '../../profile/read.js';
import { shapeOf, stepCounts } from '../../profile/shape.js';

const t = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
const bytes = (n: number) => ({ payloads: [{ data: new Uint8Array(n) }] });

/** A history: started with 40 bytes; a signal; two activities in one task; then a timer; completed. */
function history(): HistoryEvent[] {
  const e = (eventId: number, ms: number, attrs: Record<string, unknown>): HistoryEvent => ({ eventId, eventTime: t(ms), ...attrs }) as unknown as HistoryEvent;
  return [
    e(1, 0, { workflowExecutionStartedEventAttributes: { input: bytes(40) } }),
    e(4, 10, { workflowTaskCompletedEventAttributes: {} }),
    e(5, 250, { workflowExecutionSignaledEventAttributes: { signalName: 'go' } }),
    e(8, 260, { workflowTaskCompletedEventAttributes: {} }),
    e(9, 260, { activityTaskScheduledEventAttributes: { workflowTaskCompletedEventId: 8, input: bytes(3000) } }),
    e(10, 260, { activityTaskScheduledEventAttributes: { workflowTaskCompletedEventId: 8, input: bytes(10) } }),
    e(11, 270, { activityTaskStartedEventAttributes: { scheduledEventId: 9 } }),
    e(12, 280, { activityTaskStartedEventAttributes: { scheduledEventId: 10 } }),
    e(13, 300, { activityTaskCompletedEventAttributes: { scheduledEventId: 9, result: bytes(3000) } }),
    e(14, 380, { activityTaskCompletedEventAttributes: { scheduledEventId: 10 } }),
    e(17, 390, { workflowTaskCompletedEventAttributes: {} }),
    e(18, 390, { timerStartedEventAttributes: { workflowTaskCompletedEventId: 17, timerId: '1', startToFireTimeout: t(500) } }),
    e(23, 900, { workflowExecutionCompletedEventAttributes: { result: bytes(7) } }),
  ];
}

describe('a history as a shape', () => {
  it('counts steps, groups one task’s commands, places the signal before the commands that followed it, keeps sizes only', () => {
    const shape = shapeOf(history());
    expect(stepCounts(shape)).toEqual({ activity: 2, localActivity: 0, timer: 1, child: 0, continueAsNew: 0, signal: 1, update: 0 });
    expect(shape.groups.map((g) => g.map((s) => s.kind))).toEqual([['activity', 'activity'], ['timer']]);
    expect(shape.groups[0]).toEqual([
      { kind: 'activity', ms: 30, inputBytes: 3000, resultBytes: 3000 },
      { kind: 'activity', ms: 100, inputBytes: 10, resultBytes: 0 },
    ]);
    expect(shape.signals.get('go')).toEqual({ count: 1, afterStartMs: 250, beforeGroup: 0 });
    expect(shape).toMatchObject({ inputBytes: 40, resultBytes: 7, durationMs: 900 });
  });

  it('becomes a program: the signal awaited first, the task’s activities in parallel (the large one an echo of its size), the timer', () => {
    const p = profileType('T', [{ type: 'T', workflowId: 'w', runId: 'r', startMs: 60_000, closeMs: 60_900, status: 'Completed' }], 1, [1, 1], [shapeOf(history()), shapeOf(history())]);
    expect(p.program).toEqual({
      kind: 'sequence',
      steps: [
        { kind: 'awaitSignal', name: 'go', count: 1 },
        {
          kind: 'parallel',
          steps: [
            { kind: 'payload', bytes: 3000 },
            { kind: 'activity', call: { name: 'sleep', ms: 100 } },
          ],
        },
        { kind: 'timer', ms: 500 },
      ],
    });
    expect(p.interactions).toEqual([{ type: 'signal', name: 'go', count: 1, delay: '250ms' }]);
    expect(p).toMatchObject({ share: 1, typicalShare: 1, perMinute: { mean: 1, peak: 1 }, status: { Completed: 1 }, durationMs: { p50: 900 } });
    expect(p.approximations.join(' ')).toMatch(/echo activities/);
  });
});
