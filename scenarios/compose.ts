import fs from 'node:fs';
import type { Static } from '@sinclair/typebox';
import { UsageError } from '../core/errors.js';
import { parseDurationMs } from './duration.js';
import { getScenario, loadScenarios } from './registry.js';
import { ScenarioFileSchema, ScenarioSchema } from './schema.js';
import { isOpenModel, type ExecutorConfig, type ScenarioDefinition, type Threshold } from './types.js';
import { check, formatIssue } from './validate.js';

/** Flags that reshape a scenario. */
export interface ScenarioOverrides {
  rps?: number;
  duration?: string;
  concurrency?: number;
  warmup?: string;
  cooldown?: string;
  /** Replace the thresholds of the metrics named. */
  thresholds?: Record<string, Threshold[]>;
}

/** `--config FILE`: a JSON scenario; with `extends` (or the name of a ready one) it overrides that. */
export type ScenarioConfigFile = Static<typeof ScenarioFileSchema>;

/** A scenario is a page of JSON; anything bigger is a mistake (a results file, a log), not a scenario. */
const maxConfigBytes = 1024 * 1024;

/** Reads and checks a scenario file against the schema: every problem is one line naming the field. */
export function readConfigFile(file: string): ScenarioConfigFile {
  const bad = (why: string) => new UsageError(`--config ${file}: ${why}`);
  let bytes: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > maxConfigBytes) throw bad(`is ${Math.round(size / 1024 / 1024)} MB: a scenario file is at most 1 MB`);
    bytes = fs.readFileSync(file);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw bad('file not found or not readable');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw bad('is not valid UTF-8 text (save it as UTF-8 JSON)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw bad(`invalid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad('expected a JSON object (a scenario)');
  const issue = check(ScenarioFileSchema, parsed);
  if (issue) throw bad(formatIssue(issue));
  const { $schema: _editorsOnly, ...config } = parsed as ScenarioConfigFile;
  return config;
}

function mergeScenario(base: ScenarioDefinition, patch: ScenarioConfigFile): ScenarioDefinition {
  const { extends: _e, executor, thresholds, ...rest } = patch;
  const merged: ScenarioDefinition = { ...base, ...rest } as ScenarioDefinition;
  if (executor) merged.executor = (executor.executor && executor.executor !== base.executor.executor ? executor : { ...base.executor, ...executor }) as ExecutorConfig;
  if (thresholds) merged.thresholds = { ...base.thresholds, ...thresholds };
  return merged;
}

const adHoc = (executor: ExecutorConfig, description: string): ScenarioDefinition => ({
  name: 'adhoc',
  description,
  executor,
  mix: [{ kind: 'activity', weight: 1 }],
});

function applyOverrides(s: ScenarioDefinition, o: ScenarioOverrides, explicitScenario: boolean): ScenarioDefinition {
  const e = s.executor;
  if (o.rps !== undefined && o.concurrency !== undefined) throw new UsageError('--rps (open model) conflicts with --concurrency (closed model): give one');
  if (o.rps !== undefined) {
    if (!(Number.isFinite(o.rps) && o.rps > 0)) throw new UsageError(`--rps must be a number > 0, got ${o.rps}`);
    if (e.executor !== 'constant-arrival-rate') throw new UsageError(`--rps conflicts with scenario ${s.name}'s ${e.executor} executor; drop --rps or use a constant-arrival-rate scenario`);
    s.executor = { ...e, rate: o.rps, timeUnit: '1s' };
  }
  if (o.concurrency !== undefined) {
    if (!(Number.isInteger(o.concurrency) && o.concurrency > 0)) throw new UsageError(`--concurrency must be a positive integer, got ${o.concurrency}`);
    if (isOpenModel(e)) {
      if (explicitScenario) throw new UsageError(`--concurrency (closed model) conflicts with scenario ${s.name}'s ${e.executor} executor; use --in-flight-cap to bound an open-model run`);
      s.executor = { executor: 'constant-vus', vus: o.concurrency, duration: e.executor === 'constant-arrival-rate' ? e.duration : '30s' };
    } else s.executor = { ...e, vus: o.concurrency };
  }
  if (o.duration !== undefined) {
    if (parseDurationMs(o.duration, '--duration') <= 0) throw new UsageError(`--duration ${o.duration}: must be longer than zero`);
    const x = s.executor;
    if (x.executor === 'ramping-arrival-rate') throw new UsageError(`--duration conflicts with scenario ${s.name}'s ramping stages; edit the stages with --config`);
    if (x.executor === 'constant-arrival-rate' || x.executor === 'constant-vus') s.executor = { ...x, duration: o.duration };
    else s.executor = { ...x, maxDuration: o.duration };
  }
  if (o.warmup !== undefined) s.warmup = o.warmup;
  if (o.cooldown !== undefined) s.cooldown = o.cooldown;
  if (o.thresholds) s.thresholds = { ...s.thresholds, ...o.thresholds };
  return s;
}

/** The composed scenario against the schema: a merge of valid parts can still be incomplete. */
function validateScenario(scenario: ScenarioDefinition, origin: string): void {
  const issue = check(ScenarioSchema, scenario);
  if (issue) throw new UsageError(`${origin}: ${formatIssue(issue)}`);
}

/**
 * The scenario a run uses: a ready one (--scenario), a JSON one (--config, possibly extending a
 * ready one), or an ad-hoc one from --rps / --concurrency; then the flag overrides.
 */
export async function composeScenario(name: string | undefined, configFile: string | undefined, overrides: ScenarioOverrides): Promise<ScenarioDefinition> {
  const config = configFile ? readConfigFile(configFile) : undefined;
  const baseName = name ?? config?.extends ?? (config?.name && (await loadScenarios()).has(config.name) ? config.name : undefined);
  let scenario: ScenarioDefinition;
  if (baseName) scenario = await getScenario(baseName);
  else if (config) {
    if (!config.executor || !config.mix) throw new UsageError(`--config ${configFile}: a new scenario needs executor and mix (or "extends": "<ready scenario>")`);
    scenario = { name: 'custom', description: 'from --config', ...config } as ScenarioDefinition;
  } else if (overrides.concurrency !== undefined) scenario = adHoc({ executor: 'constant-vus', vus: 1, duration: '30s' }, 'closed model from --concurrency');
  else if (overrides.rps !== undefined) scenario = adHoc({ executor: 'constant-arrival-rate', rate: 1, timeUnit: '1s', duration: '30s' }, 'constant arrival rate from --rps');
  else scenario = await getScenario('smoke');
  if (config && baseName) scenario = mergeScenario(scenario, config);
  validateScenario(scenario, configFile ? `--config ${configFile}` : `scenario ${scenario.name}`);
  return applyOverrides(scenario, overrides, Boolean(name || config));
}
