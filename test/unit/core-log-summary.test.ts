import { describe, expect, it } from 'vitest';
import { CoreLogSummary, CoreLogTally, formatEntry, grpcCode, summaryLine, type CoreLogEntry } from '../../workers/core-log-summary.js';

/** An entry as the SDK forwards a core retry warning (fields spread into meta beside target and sdkComponent). */
function retry(level: 'WARN' | 'ERROR', code: string, attempt = 6, atMs = Date.UTC(2025, 0, 2, 3, 4, 5, 678)): CoreLogEntry {
  return {
    level,
    message: `gRPC call poll_workflow_task_queue retried ${attempt} times`,
    timestampNanos: BigInt(atMs) * 1_000_000n,
    meta: {
      sdkComponent: 'core',
      target: 'temporalio_client::retry',
      error: `Status { code: ${code}, message: "tcp connect error", source: None }`,
    },
  };
}

describe('grpcCode', () => {
  it("reads tonic's Debug spelling and plain gRPC names", () => {
    expect(grpcCode('Status { code: Unavailable, message: "x" }')).toBe('UNAVAILABLE');
    expect(grpcCode('Status { code: DeadlineExceeded, message: "x" }')).toBe('DEADLINE_EXCEEDED');
    expect(grpcCode('Status { code: Cancelled }')).toBe('CANCELLED');
    expect(grpcCode('poll failed: RESOURCE_EXHAUSTED (namespace rate limit)')).toBe('RESOURCE_EXHAUSTED');
    expect(grpcCode('worker shutting down')).toBeUndefined();
    expect(grpcCode('code: NotACode')).toBeUndefined();
  });
});

describe('CoreLogTally', () => {
  it('counts by level and target, and WARN/ERROR by gRPC code; take() starts over', () => {
    const t = new CoreLogTally();
    for (let i = 0; i < 3; i++) t.add(retry('WARN', 'Unavailable'));
    t.add(retry('WARN', 'DeadlineExceeded'));
    t.add(retry('ERROR', 'Unavailable', 16));
    t.add({ level: 'WARN', message: 'Activity failed', timestampNanos: 0n, meta: { sdkComponent: 'activity' } });
    t.add({ level: 'INFO', message: 'code: Unavailable mentioned at INFO', timestampNanos: 0n, meta: { target: 'temporalio_sdk_core::worker' } });
    expect(t.take()).toEqual([
      { level: 'WARN', target: 'temporalio_client::retry', count: 4, codes: { UNAVAILABLE: 3, DEADLINE_EXCEEDED: 1 } },
      { level: 'WARN', target: 'sdk:activity', count: 1, codes: {} },
      { level: 'ERROR', target: 'temporalio_client::retry', count: 1, codes: { UNAVAILABLE: 1 } },
      { level: 'INFO', target: 'temporalio_sdk_core::worker', count: 1, codes: {} },
    ]);
    expect(t.empty).toBe(true);
    expect(t.take()).toEqual([]);
  });

  it("merges other processes' counts", () => {
    const t = new CoreLogTally();
    t.add(retry('WARN', 'Unavailable'));
    t.merge([
      { level: 'WARN', target: 'temporalio_client::retry', count: 2, codes: { UNAVAILABLE: 1, UNKNOWN: 1 } },
      { level: 'ERROR', target: 'temporalio_client::retry', count: 1, codes: {} },
    ]);
    expect(t.take()).toEqual([
      { level: 'WARN', target: 'temporalio_client::retry', count: 3, codes: { UNAVAILABLE: 2, UNKNOWN: 1 } },
      { level: 'ERROR', target: 'temporalio_client::retry', count: 1, codes: {} },
    ]);
  });
});

describe('formatEntry', () => {
  it('writes one line: timestamp, level, target, message, fields', () => {
    expect(formatEntry(retry('WARN', 'Unavailable'))).toBe(
      '2025-01-02T03:04:05.678Z WARN  temporalio_client::retry gRPC call poll_workflow_task_queue retried 6 times ' + '{"error":"Status { code: Unavailable, message: \\"tcp connect error\\", source: None }"}',
    );
  });

  it('keeps multi-line messages and odd fields on one line', () => {
    const cyclic: Record<string, unknown> = { n: 1n };
    cyclic.self = cyclic;
    const line = formatEntry({ level: 'ERROR', message: 'first\nsecond', timestampNanos: 0n, meta: { sdkComponent: 'worker', spanContexts: [], detail: cyclic } });
    expect(line).toBe('1970-01-01T00:00:00.000Z ERROR sdk:worker first\\nsecond {"detail":{"n":"1","self":"[circular]"}}');
    expect(line).not.toContain('\n');
  });
});

describe('summaryLine', () => {
  const file = 'results/run-1/core.log';

  it('names retry warnings plainly, with their one code', () => {
    const line = summaryLine([{ level: 'WARN', target: 'temporalio_client::retry', count: 412, codes: { UNAVAILABLE: 412 } }], 5000, file);
    expect(line).toBe('core: 412 retry warnings (UNAVAILABLE) in the last 5 s; full log: results/run-1/core.log');
  });

  it('lists several codes, other targets, and folds beyond three groups', () => {
    const line = summaryLine(
      [
        { level: 'WARN', target: 'temporalio_client::retry', count: 30, codes: { UNAVAILABLE: 20, DEADLINE_EXCEEDED: 10 } },
        { level: 'ERROR', target: 'temporalio_client::retry', count: 1, codes: { UNAVAILABLE: 1 } },
        { level: 'WARN', target: 'temporalio_sdk_core::worker', count: 2, codes: {} },
        { level: 'WARN', target: 'sdk:activity', count: 4, codes: {} },
        { level: 'ERROR', target: 'sdk:worker', count: 1, codes: {} },
      ],
      2400,
      file,
    );
    expect(line).toBe('core: 30 retry warnings (UNAVAILABLE 20, DEADLINE_EXCEEDED 10), 1 retry error (UNAVAILABLE), 2 WARN temporalio_sdk_core::worker entries, 5 more in the last 2 s; full log: results/run-1/core.log');
  });

  it('says nothing for an empty window', () => {
    expect(summaryLine([], 5000, file)).toBeUndefined();
    expect(summaryLine([{ level: 'WARN', target: 'x', count: 0, codes: {} }], 5000, file)).toBeUndefined();
  });
});

describe('CoreLogSummary', () => {
  it("prints at most one line per tick, for every process's counts since the last tick", () => {
    const lines: string[] = [];
    const s = new CoreLogSummary('core.log', (l) => lines.push(l), 0);
    const warn = (n: number) => [{ level: 'WARN', target: 'temporalio_client::retry', count: n, codes: { UNAVAILABLE: n } }];
    s.add(warn(100)); // generator 0
    s.add(warn(20)); // worker process 1
    s.add(warn(5)); // worker process 2
    s.tick(5000);
    s.tick(10_000); // quiet window: nothing
    s.add(warn(1));
    s.tick(15_000);
    expect(lines).toEqual(['core: 125 retry warnings (UNAVAILABLE) in the last 5 s; full log: core.log', 'core: 1 retry warning (UNAVAILABLE) in the last 5 s; full log: core.log']);
  });
});
