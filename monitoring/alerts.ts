/**
 * `bench alerts` and the end of `bench capacity`: the measurement in a result directory becomes alert
 * files there, optionally loaded into the local stack's Prometheus (rule_files; reloaded in place).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { rulesDir } from '../stack/prometheus.js';
import { readMeasured, type Measured } from './measured.js';
import { alertFiles, writeAlerts, type RuleMeta } from './alert-files.js';
import { alertRules, defaultAlertOptions, type AlertOptions, type SkippedAlert } from './alert-rules.js';

export interface AlertsRequest {
  options?: Partial<AlertOptions>;
  meta?: Partial<RuleMeta>;
  /** Where the files go (default: the result directory itself). */
  outDir?: string;
}

export interface AlertsWritten {
  measured: Measured;
  files: string[];
  alerts: string[];
  skipped: SkippedAlert[];
}

const promDuration = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** Checks a PromQL duration (`5m`, `1h30m`), a usage error naming the flag otherwise. */
export function promDurationArg(flag: string, value: string): string {
  if (!promDuration.test(value)) throw new UsageError(`--${flag} ${JSON.stringify(value)}: expected a Prometheus duration such as 30s, 5m or 1h`);
  return value;
}

export function writeAlertsFor(dir: string, req: AlertsRequest = {}): AlertsWritten {
  const measured = readMeasured(dir);
  const options = { ...defaultAlertOptions, ...req.options };
  const { rules, skipped } = alertRules(measured, options);
  const meta: RuleMeta = { name: `temporal-bench-${measured.id}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'), namespace: 'temporal', labels: {}, ...req.meta };
  const files = writeAlerts(req.outDir ?? dir, measured, rules, skipped, options, meta);
  return { measured, files, alerts: rules.map((r) => r.alert), skipped };
}

/**
 * Copies the plain rule file into the local stack's Prometheus rules directory and asks it to reload
 * (the stack starts Prometheus with --web.enable-lifecycle and rule_files on that directory).
 */
export async function loadIntoStack(stackDir: string, prometheusUrl: string, written: AlertsWritten): Promise<string> {
  const rules = rulesDir(stackDir);
  fs.mkdirSync(rules, { recursive: true });
  const target = path.join(rules, `${written.measured.id.replace(/[^\w.-]/g, '_')}.yml`);
  fs.copyFileSync(written.files.find((f) => f.endsWith(alertFiles.ruleFile))!, target);
  const res = await fetch(`${prometheusUrl}/-/reload`, { method: 'POST' }).catch((err: Error) => ({ ok: false, status: 0, text: async () => err.message }));
  if (!res.ok) throw new UsageError(`Prometheus at ${prometheusUrl} did not reload its rules (${res.status || 'unreachable'}): ${(await res.text()).trim().split('\n')[0]}`);
  return target;
}
