/**
 * `bench run --grafana-url URL`: the run's window and each injected fault as Grafana annotations
 * (HTTP API, POST /api/annotations, token from GRAFANA_TOKEN), tagged so the dashboard's annotation
 * query (monitoring/dashboard.ts) shows them on every panel. Annotations are a courtesy: a Grafana that
 * cannot be reached or refuses costs one warning line, never the run's result or exit code.
 */
import { UsageError } from '../core/errors.js';
import type { ResultFile } from '../recorder/result-schema.js';

export const GRAFANA_TOKEN_ENV = 'GRAFANA_TOKEN';
const timeoutMs = 5000;

export interface Annotation {
  time: number;
  timeEnd?: number;
  tags: string[];
  text: string;
}

/** The URL a user gave, checked before any load is sent (usage error on anything but http(s)). */
export function grafanaUrlArg(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--grafana-url ${JSON.stringify(value)}: not a URL (expected e.g. https://grafana.example.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--grafana-url ${JSON.stringify(value)}: expected an http:// or https:// URL`);
  return url.href.replace(/\/$/, '');
}

/** A region for the run (start to end, with its outcome) and a point per fault that fired. */
export function runAnnotations(result: ResultFile): Annotation[] {
  const t0 = Date.parse(result.startedAt);
  const s = result.summary;
  const tags = ['temporal-bench', `run:${result.runId}`, `scenario:${result.scenario.name}`];
  const e2e = s.latencyMs.e2e ? `, e2e p99 ${Math.round(s.latencyMs.e2e.p99)} ms` : '';
  const verdict = !s.valid ? 'INVALID' : s.thresholds.every((t) => t.ok) ? 'thresholds passed' : 'thresholds FAILED';
  const run: Annotation = {
    time: t0,
    timeEnd: result.endedAt ? Date.parse(result.endedAt) : Date.now(),
    tags: [...tags, 'run'],
    text: `temporal-bench run ${result.runId} (${result.scenario.name}): ${s.targetRate}/s intended, ${s.achievedRate}/s achieved${e2e}; ${verdict}${result.status === 'running' ? '' : ` (${result.status})`}`,
  };
  const faults = (result.faults ?? []).flatMap((f) =>
    f.firedAtS === null
      ? []
      : [
          {
            time: Math.round(t0 + f.firedAtS * 1000),
            tags: [...tags, 'fault'],
            text: `fault: ${f.action} ${f.target} (run ${result.runId}): ${f.outcome}`,
          },
        ],
  );
  return [run, ...faults];
}

/** Posts every annotation; stops at the first failure and says so in one line. Returns how many were posted. */
export async function postAnnotations(url: string, annotations: Annotation[], log: (line: string) => void, token = process.env[GRAFANA_TOKEN_ENV]): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let posted = 0;
  for (const a of annotations) {
    try {
      const res = await fetch(`${url}/api/annotations`, { method: 'POST', headers, body: JSON.stringify(a), signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) {
        const why = res.status === 401 || res.status === 403 ? `${res.status} (set ${GRAFANA_TOKEN_ENV} to a service-account token with annotations:write)` : `HTTP ${res.status}`;
        throw new Error(why);
      }
      posted++;
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      log(`warning: grafana: ${annotations.length - posted} of ${annotations.length} annotations not posted to ${url}: ${cause.split('\n')[0]}`);
      return posted;
    }
  }
  log(`grafana: ${posted} annotation${posted === 1 ? '' : 's'} posted to ${url}`);
  return posted;
}
