/** The few Prometheus HTTP API calls the report makes; every request is bounded in time. */

export interface PromResponse<T> {
  status: 'success' | 'error';
  error?: string;
  data?: T;
}

export function base(url: string): string {
  return url.replace(/\/+$/, '');
}

export async function getJson<T>(url: string, timeoutMs: number): Promise<PromResponse<T>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  try {
    return JSON.parse(text) as PromResponse<T>;
  } catch {
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 120)}`);
  }
}

/** The data of a successful call; throws with Prometheus' error text otherwise. */
export async function apiData<T>(url: string, timeoutMs: number): Promise<T> {
  const body = await getJson<T>(url, timeoutMs);
  if (body.status !== 'success' || body.data === undefined) throw new Error(body.error ?? 'request failed');
  return body.data;
}

export interface ActiveTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  /** Start of the last scrape, epoch ms (its samples carry this time). */
  lastScrapeMs: number;
  /** Per target since Prometheus 2.35; undefined before. */
  scrapeIntervalSeconds?: number;
}

interface RawTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastScrape: string;
  scrapeInterval?: string;
}

export async function activeTargets(url: string, timeoutMs: number, parseDuration: (s: string) => number | undefined): Promise<ActiveTarget[]> {
  const data = await apiData<{ activeTargets: RawTarget[] }>(`${base(url)}/api/v1/targets?state=active`, timeoutMs);
  return data.activeTargets.map((t) => ({
    labels: t.labels,
    scrapeUrl: t.scrapeUrl,
    health: t.health,
    lastScrapeMs: Date.parse(t.lastScrape),
    scrapeIntervalSeconds: t.scrapeInterval ? parseDuration(t.scrapeInterval) : undefined,
  }));
}

/** Labels (job, instance, ...) of every current target whose scrapes declare or carry `family`. */
export async function targetsExporting(url: string, family: string, timeoutMs: number): Promise<Record<string, string>[]> {
  const data = await apiData<{ target: Record<string, string> }[]>(`${base(url)}/api/v1/targets/metadata?metric=${encodeURIComponent(family)}`, timeoutMs);
  return data.map((d) => d.target);
}

/** Label sets of the series matching `selector` stored anywhere in [start, end] (unix seconds). */
export async function seriesIn(url: string, selector: string, start: number, end: number, timeoutMs: number): Promise<Record<string, string>[]> {
  const params = new URLSearchParams({ 'match[]': selector, start: String(start), end: String(end) });
  return apiData<Record<string, string>[]>(`${base(url)}/api/v1/series?${params}`, timeoutMs);
}
