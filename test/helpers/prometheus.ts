export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export async function queryPrometheus(url: string, query: string): Promise<PromSample[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { status: string; data: { result: PromSample[] }; error?: string };
  if (body.status !== 'success') throw new Error(`PromQL ${query} failed: ${body.error}`);
  return body.data.result;
}

/** Polls `probe` until it returns a value (the condition, not a fixed sleep, decides). */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Prometheus sees new data only after its next scrape: poll for it, up to a minute by default. */
export function waitForPrometheus<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  return pollUntil(what, probe, timeoutMs);
}
