import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import type { ConnectionConfig } from '../core/connection.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { HlogFile } from '../recorder/hlog.js';
import { reconcile, terminateLeftovers } from '../runner/reconcile.js';
import { checkOutDir, writeResultFile } from '../recorder/result-file.js';
import { RESULT_SCHEMA_VERSION, type Reconciliation, type ResultFile } from '../recorder/result-schema.js';
import { arrivalsBefore, profileOf, type RateProfile } from '../schedule/schedule.js';
import { latencyMetrics, latencyStats } from '../recorder/timeline.js';
import { isOpenModel, type ScenarioDefinition } from '../scenarios/types.js';
import { segmentClockOffsets } from './clock-skew.js';
import { mergeHlogs } from './hlog-merge.js';
import { loadSegments, segmentsFinished, type LoadedSegment, type SegmentSet } from './segments.js';
import { mergedSummary } from './summary.js';
import { mergeTimelines } from './timeline-merge.js';

/** Clock offsets between segments above this make per-second alignment (and the merged run) suspect. */
export const maxClockSkewMs = 50;

export interface MergeOptions {
  dirs: string[];
  outDir: string;
  /** The cluster to reconcile against; default: the segments' own address and namespace. */
  connection?: Partial<ConnectionConfig>;
  /** False: merge the files alone (no reconciliation or clock check; the result says so). */
  reconcile?: boolean;
  /**
   * Wait up to this long for every segment to finish (a shared results volume the segments are still
   * writing to); then merge what is there, an absent segment counting as missing.
   */
  waitMs?: number;
  log: (line: string) => void;
}

type Log = (line: string) => void;

/** What makes the merged run invalid beyond its segments' own reasons. */
function setProblems(set: SegmentSet, t0Epoch: number): string[] {
  const reasons: string[] = [];
  for (const i of set.missing) reasons.push(`segment ${i}/${set.count} is missing: its share of the load is not in the result`);
  for (const s of set.segments) {
    if (s.result.segment!.late) reasons.push(`segment ${s.index} was late: ready ${(s.result.segment!.readyAfterT0Ms / 1000).toFixed(1)} s after the shared t0`);
    if (s.result.status === 'running') reasons.push(`segment ${s.index} did not finish (status running: it crashed or is still going)`);
    const startedAt = Date.parse(s.result.startedAt);
    if (Math.abs(startedAt - t0Epoch) > 1) reasons.push(`segment ${s.index} started its schedule at ${s.result.startedAt}, not the shared t0 (give every segment the same --start-at)`);
  }
  return reasons;
}

async function waitForSegments(dirs: string[], waitMs: number, log: Log): Promise<void> {
  const deadline = Date.now() + waitMs;
  if (!segmentsFinished(dirs)) log(`waiting up to ${Math.round(waitMs / 1000)} s for ${dirs.length} segments to finish`);
  while (!segmentsFinished(dirs) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2000)); // polling the results volume
}

/** Reconciles the whole run once (every segment's workflows share its task queue) and cleans up leftovers. */
async function reconcileRun(service: Connection['workflowService'], namespace: string, set: SegmentSet, profile: RateProfile | undefined, log: Log): Promise<{ counts: Reconciliation; terminated: number }> {
  const first = set.segments[0]!.result;
  const started = set.segments.reduce((n, s) => n + s.result.summary.startedOk, 0);
  const loadEndS = Math.max(...set.segments.map((s) => s.result.summary.loadDurationS ?? 0));
  const shards = set.segments.reduce((n, s) => n + s.result.environment.generators, 0) * Math.max(1, set.missing.length + 1);
  const maxN = profile ? arrivalsBefore(profile, loadEndS) : shards * (started + 1);
  const opts = { service, namespace, runId: first.runId, taskQueue: first.environment.taskQueue, started, maxN, log };
  let counts = await reconcile(opts);
  let terminated = 0;
  if (counts.running > 0) {
    log(`${counts.running} workflows of run ${first.runId} still running: terminating them`);
    terminated = await terminateLeftovers(service, namespace, first.environment.taskQueue, `bench merge ${first.runId}: still running after every segment finished`);
    counts = await reconcile(opts);
  }
  return { counts, terminated };
}

function environmentOf(segments: LoadedSegment[]): ResultFile['environment'] {
  const first = segments[0]!.result.environment;
  return {
    ...first,
    generatorHost: [...new Set(segments.map((s) => s.result.segment!.host))].join(','),
    generators: segments.reduce((n, s) => n + s.result.environment.generators, 0),
    workerStats: [...new Set(segments.flatMap((s) => s.result.environment.workerStats ?? []))],
  };
}

/**
 * `bench merge`: one result.json, one .hlog and one report from the segments of a split run, exactly
 * as if one process had run it: histograms merged per second (never percentiles averaged), counts
 * summed, thresholds evaluated on the merged data, the whole run reconciled once, and the merged run
 * invalid (naming the segment) when one is missing, late, invalid or its clock is off.
 */
export async function mergeRun(options: MergeOptions): Promise<{ result: ResultFile; code: number }> {
  if (options.waitMs) await waitForSegments(options.dirs, options.waitMs, options.log);
  const set = loadSegments(options.dirs, options.waitMs !== undefined);
  checkOutDir(options.outDir);
  const { log } = options;
  const first = set.segments[0]!.result;
  const t0Epoch = Math.min(...set.segments.map((s) => Date.parse(s.result.startedAt)));
  const scenario = first.scenario.config as ScenarioDefinition;
  const profile = isOpenModel(scenario.executor) ? profileOf(scenario.executor) : undefined;
  const address = options.connection?.address ?? first.environment.address;
  const namespace = options.connection?.namespace ?? first.environment.namespace;

  // Connect before writing anything: an unreachable cluster is the user's to fix, and nothing is left half-done.
  const connection =
    options.reconcile === false
      ? undefined
      : await Connection.connect({ address, tls: options.connection?.tls, apiKey: options.connection?.apiKey, connectTimeout: 10_000 }).catch((err: Error) => {
          throw new UsageError(`cannot reach Temporal at ${address} to reconcile run ${first.runId}: ${err.message.split('\n')[0]} (--address to use another)`);
        });
  try {
    fs.mkdirSync(options.outDir, { recursive: true });
    const timeline = mergeTimelines(set.segments.map((s) => ({ offsetS: Math.round((Date.parse(s.result.startedAt) - t0Epoch) / 1000), records: s.result.timeline })));
    const byT = new Map(timeline.map((r) => [r.t, r]));
    const hlog = new HlogFile(options.outDir, first.runId, t0Epoch, 3600);
    const entries = mergeHlogs(
      set.segments.map((s) => ({ dir: s.dir, files: s.result.hlogFiles ?? (s.result.hlogFile ? [s.result.hlogFile] : []) })),
      hlog,
      t0Epoch,
      (index, tag, merged) => {
        const record = byT.get(index);
        if (record && (latencyMetrics as readonly string[]).includes(tag)) record.latencyMs[tag] = latencyStats(merged);
      },
    );
    log(`merged ${set.segments.length} of ${set.count} segments of run ${first.runId}: ${timeline.length} seconds, ${entries} interval histograms`);

    let counts: Reconciliation | null = null;
    let terminated = 0;
    let offsets: (number | null)[] = [];
    if (connection) {
      log(`reconciling run ${first.runId} through visibility on ${address}`);
      ({ counts, terminated } = await reconcileRun(connection.workflowService, namespace, set, profile, log));
      if (profile) offsets = await segmentClockOffsets(connection.workflowService, namespace, first.environment.taskQueue, first.runId, t0Epoch, profile, set.count);
    } else log(`--no-reconcile: run ${first.runId} is not reconciled and its segments' clocks are not checked`);
    const known = offsets.filter((o): o is number => o !== null);
    const clockSkewMs = known.length >= 2 ? Math.max(...known) - Math.min(...known) : null;

    const reasons = setProblems(set, t0Epoch);
    if (clockSkewMs !== null && clockSkewMs > maxClockSkewMs) {
      const worst = offsets.indexOf(Math.max(...known));
      reasons.push(`segment clocks disagree by ${clockSkewMs} ms (> ${maxClockSkewMs} ms; segment ${worst} is furthest ahead): per-second alignment is off, sync the hosts' clocks (NTP)`);
    }
    const { summary, histograms } = mergedSummary({ segments: set.segments, timeline, scenario, reconciliation: counts, extraInvalidReasons: reasons });
    summary.generator!.terminatedByCleanup = terminated;
    const statuses = set.segments.map((s) => s.result.status);
    const result: ResultFile = {
      schemaVersion: RESULT_SCHEMA_VERSION,
      runId: first.runId,
      status: statuses.every((s) => s === 'completed') ? 'completed' : (statuses.find((s) => s !== 'completed') ?? 'completed'),
      startedAt: new Date(t0Epoch).toISOString(),
      endedAt: new Date().toISOString(),
      window: first.window,
      scenario: first.scenario,
      environment: environmentOf(set.segments),
      timeline,
      summary,
      hlogFile: hlog.files[0],
      hlogFiles: [...hlog.files],
      histograms,
      merged: {
        segments: set.segments.map((s) => ({
          index: s.index,
          host: s.result.segment!.host,
          dir: s.dir,
          valid: s.result.summary.valid,
          late: s.result.segment!.late,
          startedOk: s.result.summary.startedOk,
          clockOffsetMs: offsets[s.index] ?? null,
        })),
        missing: set.missing,
        clockSkewMs,
      },
    };
    writeResultFile(options.outDir, result);
    hlog.flush();
    const code = !summary.valid ? ExitCode.invalidRun : summary.thresholds.some((t) => !t.ok) ? ExitCode.thresholdsFailed : ExitCode.ok;
    return { result, code };
  } finally {
    await connection?.close();
  }
}
