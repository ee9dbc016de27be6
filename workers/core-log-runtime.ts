/**
 * Installs the SDK core Runtime of a process (worker child, generator child with the native client)
 * so that the core's log entries never reach stderr raw: they are forwarded to our logger, written in
 * full to a file shared by the run's processes, and counted; the counts go to the parent, which prints
 * one summary line per few seconds (core-log-summary.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
// The SDK's modules one by one, not its index (which also loads the workflow bundler).
import { DefaultLogger } from '@temporalio/worker/lib/logger.js';
import { Runtime } from '@temporalio/worker/lib/runtime.js';
import { makeTelemetryFilterString, type RuntimeOptions } from '@temporalio/worker/lib/runtime-options.js';
import { CoreLogTally, formatEntry, type CoreLogEntry, type CoreLogGroup } from './core-log-summary.js';

export interface CoreLog {
  /** Writes buffered entries and reports the counts now (call after the last native object closed). */
  flush(): void;
}

const flushEveryMs = 1000;
const maxBufferedLines = 1000;

/**
 * Runtime.install with core logs forwarded (WARN and up from the core, ERROR from its dependencies)
 * to a logger that appends each entry as one line to `file` and counts it; `onCounts` gets the counts
 * about once a second. Call before any NativeConnection or Worker exists. `options` are the process's
 * other Runtime options (metrics, shutdown signals).
 */
export function installCoreRuntime(file: string, onCounts: (groups: CoreLogGroup[]) => void, options: RuntimeOptions = {}): CoreLog {
  const tally = new CoreLogTally();
  let lines: string[] = [];
  let fd: number | undefined;
  let broken = false;
  const write = () => {
    if (!lines.length) return;
    const text = `${lines.join('\n')}\n`;
    lines = [];
    if (broken) return;
    try {
      // Opened on the first entry: a run without core warnings leaves no empty file behind. Appending
      // whole batches with O_APPEND keeps the lines of several processes sharing the file intact.
      if (fd === undefined) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fd = fs.openSync(file, 'a');
      }
      fs.writeSync(fd, text);
    } catch (err) {
      broken = true; // said once; the counts still reach the parent
      process.stderr.write(`core log: cannot write ${file}: ${(err as Error).message}\n`);
    }
  };
  const flush = () => {
    write();
    if (!tally.empty) onCounts(tally.take());
  };
  const record = (entry: CoreLogEntry) => {
    lines.push(formatEntry(entry));
    tally.add(entry);
    if (lines.length >= maxBufferedLines) write();
  };
  Runtime.install({
    ...options,
    // WARN: the SDK's own TypeScript-side messages below WARN (worker state changes) stay unlogged, as before.
    logger: new DefaultLogger('WARN', record),
    telemetryOptions: {
      ...options.telemetryOptions,
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
    },
  });
  setInterval(flush, flushEveryMs).unref();
  // No Runtime.flushLogs() here: the SDK's collector re-emits (does not drain) its buffer on flush; the
  // runtime's own shutdown, when the last connection closes, hands over what it still holds.
  return { flush };
}
