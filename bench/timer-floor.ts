/**
 * The machine's own timer accuracy: a bare Node loop that wakes for `rate` evenly spaced instants
 * the way the open model does (setTimeout to the next intended time, whole milliseconds) and does
 * nothing else. Its lag p99 is the floor under any generator's scheduling lag on this host.
 */
export async function timerFloorP99Ms(rate: number, seconds: number): Promise<number> {
  const periodMs = 1000 / rate;
  const total = Math.round(rate * seconds);
  const lags: number[] = [];
  const t0 = performance.now();
  let n = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      for (; n < total && t0 + n * periodMs <= now; n++) lags.push(now - (t0 + n * periodMs));
      if (n >= total) return done();
      setTimeout(tick, Math.max(0, Math.floor(t0 + n * periodMs - performance.now())));
    };
    tick();
  });
  lags.sort((a, b) => a - b);
  return Math.round(lags[Math.floor(lags.length * 0.99)]! * 1000) / 1000;
}
