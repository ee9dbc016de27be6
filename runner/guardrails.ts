import { UsageError } from '../core/errors.js';

/**
 * Safety rails for shared clusters: load only goes to namespaces meant for it, and a rate above
 * --max-rps needs --allow-high-rate. `pnats` is production: it needs --allow-production.
 */
export const productionNamespaces = ['pnats'];
export const defaultAllowedNamespaces = ['bench', 'bench-*', 'default', 'pnats-dev', 'pnats-staging'];

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(name);
}

/** BENCH_ALLOWED_NAMESPACES (comma-separated, `*` globs) extends the allow-list. */
export function allowedNamespaces(env: NodeJS.ProcessEnv = process.env): string[] {
  return [
    ...defaultAllowedNamespaces,
    ...(env.BENCH_ALLOWED_NAMESPACES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export function checkNamespace(namespace: string, allowProduction: boolean, env: NodeJS.ProcessEnv = process.env): void {
  if (allowProduction) return;
  if (productionNamespaces.includes(namespace)) throw new UsageError(`namespace ${namespace} is production: pass --allow-production to load it`);
  const allowed = allowedNamespaces(env);
  if (!allowed.some((p) => globMatch(p, namespace))) {
    throw new UsageError(`namespace ${namespace} is not in the allow-list (${allowed.join(', ')}); set BENCH_ALLOWED_NAMESPACES or pass --allow-production`);
  }
}

export function checkRate(peakRate: number, maxRps: number, allowHighRate: boolean): void {
  if (!(maxRps > 0)) throw new UsageError(`--max-rps must be > 0, got ${maxRps}`);
  if (peakRate > maxRps && !allowHighRate) throw new UsageError(`peak rate ${peakRate}/s is above --max-rps ${maxRps}; raise --max-rps or pass --allow-high-rate`);
}
