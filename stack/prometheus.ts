import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { YamlValue } from './yaml.js';

// PROMETHEUS_BIN, when set, is the only candidate: a user who named one binary never gets another.
const findPrometheus = () => (process.env.PROMETHEUS_BIN ? [process.env.PROMETHEUS_BIN] : ['/usr/bin/prometheus', '/usr/local/bin/prometheus']).find((file) => fs.existsSync(file));

/** True when a Prometheus server binary is there (Debian's package is optional: see the README). */
export function prometheusInstalled(): boolean {
  return findPrometheus() !== undefined;
}

/** Debian's package puts the server here; PROMETHEUS_BIN overrides. */
export function prometheusBinary(): string {
  const found = findPrometheus();
  if (!found) {
    throw new UsageError('prometheus is not installed: run `apt-get install prometheus` (or set PROMETHEUS_BIN), or pass --no-prometheus');
  }
  return found;
}

/** Directory of file-based scrape targets that workers and runners add themselves to. */
export function targetsDir(stackDir: string): string {
  return path.join(stackDir, 'prometheus', 'targets');
}

/** Directory of rule files (`bench alerts --stack-dir`) the local Prometheus loads on reload. */
export function rulesDir(stackDir: string): string {
  return path.join(stackDir, 'prometheus', 'rules');
}

/**
 * The scrape config: the Temporal server's metrics endpoints as static targets, plus every JSON file
 * in the targets directory (file_sd), re-read every few seconds; with `rulesGlob`, the alert rules there.
 */
export function renderPrometheusConfig(serverTargets: string[], targetsGlob: string, intervalSeconds: number, rulesGlob?: string): YamlValue {
  const interval = `${intervalSeconds}s`;
  return {
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: rulesGlob ? [rulesGlob] : undefined,
    scrape_configs: [
      { job_name: 'temporal', static_configs: [{ targets: serverTargets, labels: { cluster: 'local' } }] },
      // A worker that registers itself is found within 5 s even when scrapes are 30 s apart.
      { job_name: 'bench', file_sd_configs: [{ files: [targetsGlob], refresh_interval: `${Math.min(intervalSeconds, 5)}s` }] },
    ],
  };
}

export interface ScrapeTarget {
  /** host:port of a /metrics endpoint. */
  address: string;
  labels: Record<string, string>;
}

/**
 * Registers a scrape target with the local Prometheus (written atomically so Prometheus never reads a
 * half file). Returns a function that removes it.
 */
export function registerScrapeTarget(stackDir: string, id: string, target: ScrapeTarget): () => void {
  const dir = targetsDir(stackDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${id.replace(/[^\w.-]/g, '_')}.json`);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify([{ targets: [target.address], labels: target.labels }], null, 2));
  fs.renameSync(tmp, file);
  return () => fs.rmSync(file, { force: true });
}

export async function prometheusReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/-/ready`);
    return res.ok;
  } catch {
    return false;
  }
}
