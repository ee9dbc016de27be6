import { activeTargets, seriesIn, targetsExporting, type ActiveTarget } from './prometheus-api.js';
import { familyOf } from './families.js';
import { defaultScrapeIntervalSeconds, parseDurationSeconds } from './rate-window.js';

/**
 * What Prometheus knows about the metrics a report reads: which names some target exports (a
 * family a target declares counts even before its first event; so does any series of it in the
 * run), and the scrape interval of the targets that export them.
 */

export interface ScrapeInterval {
  seconds: number;
  /** "Prometheus targets", "--scrape-interval", "default": shown with the window in the report. */
  source: string;
}

export interface Discovery {
  /** Per name: exported (true), exported by no target (false), could not tell (undefined). */
  exported: Map<string, boolean | undefined>;
  scrape: ScrapeInterval;
  /** Current targets exporting a queried name: the ones whose next scrape the report waits for. */
  exporters: ActiveTarget[];
}

export interface DiscoveryOptions {
  url: string;
  names: string[];
  /** The run, unix seconds: a series stored in it means its family was exported then. */
  range: { start: number; end: number };
  /** The user's `--scrape-interval`, used when Prometheus does not tell. */
  flagScrapeSeconds?: number;
  timeoutMs: number;
}

const targetKey = (labels: Record<string, string>) => `${labels.job ?? ''}|${labels.instance ?? ''}`;

/** Runs `fn` over `items`, `lanes` at a time: Prometheus is shared with production dashboards. */
export async function inLanes<T>(items: T[], lanes: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}

export async function discover(options: DiscoveryOptions): Promise<Discovery> {
  const { url, timeoutMs } = options;
  const targets = await activeTargets(url, timeoutMs, parseDurationSeconds).catch(() => undefined);
  const exporterKeys = new Set<string>();
  const exported = new Map<string, boolean | undefined>();

  const lookUp = async (name: string): Promise<boolean | undefined> => {
    let metadataFailed = false;
    if (!name.startsWith('~')) {
      for (const family of new Set([familyOf(name), name])) {
        try {
          const found = await targetsExporting(url, family, timeoutMs);
          found.forEach((t) => exporterKeys.add(targetKey(t)));
          if (found.length) return true;
        } catch {
          metadataFailed = true; // e.g. a Prometheus-compatible store without per-target metadata
          break;
        }
      }
    }
    // No current target declares it: the run's own targets (workers) may be gone; their series stay.
    const selector = name.startsWith('~') ? `{__name__=~${JSON.stringify(name.slice(1))}}` : `{__name__=${JSON.stringify(name)}}`;
    try {
      const series = await seriesIn(url, selector, options.range.start, options.range.end, timeoutMs);
      series.forEach((s) => exporterKeys.add(targetKey(s)));
      if (series.length) return true;
      return metadataFailed && !name.startsWith('~') ? undefined : false;
    } catch {
      return undefined;
    }
  };
  await inLanes([...new Set(options.names)], 4, async (name) => {
    exported.set(name, await lookUp(name));
  });

  const exporters = (targets ?? []).filter((t) => exporterKeys.has(targetKey(t.labels)));
  return { exported, scrape: scrapeInterval(targets, exporters, options.flagScrapeSeconds), exporters };
}

const maxOf = (targets: ActiveTarget[]) => Math.max(0, ...targets.map((t) => t.scrapeIntervalSeconds ?? 0)) || undefined;

/**
 * The longest interval among the targets exporting what the report reads (a window must hold
 * several scrapes of every series in it); else the flag; else every target's; else the default.
 */
export function scrapeInterval(targets: ActiveTarget[] | undefined, exporters: ActiveTarget[], flagSeconds?: number): ScrapeInterval {
  const fromExporters = maxOf(exporters);
  if (fromExporters) return { seconds: fromExporters, source: 'Prometheus targets' };
  if (flagSeconds) return { seconds: flagSeconds, source: '--scrape-interval' };
  const fromAll = maxOf(targets ?? []);
  if (fromAll) return { seconds: fromAll, source: 'Prometheus targets (all)' };
  return { seconds: defaultScrapeIntervalSeconds, source: 'default (Prometheus did not say; pass --scrape-interval)' };
}

/**
 * Waits (bounded: two scrape intervals and a few seconds) until every healthy target that exports a
 * queried name has been scraped at or after `endMs`, so the run's last seconds are in Prometheus
 * before it is asked about them. Returns false when it gave up.
 */
export async function awaitScrapesAfter(url: string, endMs: number, exporters: ActiveTarget[], scrapeSeconds: number, timeoutMs: number): Promise<boolean> {
  const keys = new Set(exporters.map((t) => targetKey(t.labels)));
  if (keys.size === 0) return true;
  const deadline = Date.now() + (2 * scrapeSeconds + 5) * 1000;
  for (;;) {
    const targets = await activeTargets(url, timeoutMs, parseDurationSeconds).catch(() => undefined);
    if (!targets) return false;
    const pending = targets.filter((t) => keys.has(targetKey(t.labels)) && t.health === 'up' && !(t.lastScrapeMs >= endMs));
    if (pending.length === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}
