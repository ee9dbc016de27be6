import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import { UsageError } from '../core/errors.js';

/**
 * `--worker-stats` values: `http(s)://HOST:PORT` is one stats endpoint; `dns+http://NAME:PORT` is every
 * address (A and AAAA) of NAME, re-resolved on every poll — a Kubernetes headless Service in front of
 * `bench worker` pods, each of which the runner reads with its own cursor.
 */
export type StatsSource = { kind: 'url'; source: string; url: string } | { kind: 'dns'; source: string; name: string; port: number };

const dnsName = /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

const expected = "expected http://HOST:PORT (a bench worker's stats endpoint) or dns+http://NAME:PORT (every address of NAME, e.g. a headless Service)";

/** Parses one --worker-stats value; throws a one-line Error saying what is wrong. */
export function parseStatsSource(value: string): StatsSource {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`not a URL; ${expected}`);
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') return { kind: 'url', source: value.replace(/\/$/, ''), url: value.replace(/\/$/, '') };
  if (u.protocol !== 'dns+http:') throw new Error(`unsupported scheme ${u.protocol}; ${expected}`);
  if (u.username || u.password || (u.pathname !== '' && u.pathname !== '/') || u.search || u.hash) throw new Error('dns+http:// takes only NAME:PORT, no path, query or credentials');
  const name = u.hostname;
  if (net.isIP(name.replace(/^\[|\]$/g, ''))) throw new Error('dns+http:// needs a DNS name (a headless Service); for one address use http://');
  if (!dnsName.test(name)) throw new Error(`${JSON.stringify(name)} is not a DNS name`);
  const port = u.port === '' ? 80 : Number(u.port);
  return { kind: 'dns', source: `dns+http://${name}:${port}`, name, port };
}

/** The stats URL of one resolved address: IPv6 in brackets. */
export function addressUrl(address: string, port: number): string {
  return `http://${net.isIPv6(address) ? `[${address}]` : address}:${port}`;
}

/** BENCH_DNS_SERVERS (comma-separated host:port) as a Resolver server list; undefined when unset. */
export function dnsServers(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const raw = env.BENCH_DNS_SERVERS?.trim();
  if (!raw) return undefined;
  const servers = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    new Resolver().setServers(servers);
  } catch {
    throw new UsageError(`BENCH_DNS_SERVERS ${JSON.stringify(raw)}: expected comma-separated IP:port entries (e.g. 10.96.0.10:53,[fd00::a]:53)`);
  }
  return servers;
}

export interface ResolvedName {
  /** Every A and AAAA record, in answer order. */
  addresses: string[];
  /** The server said the name does not exist (NXDOMAIN), rather than that it has no address. */
  nxdomain: boolean;
}

/**
 * A resolver of every A and AAAA record of a name (node:dns Resolver: no search domains, so give the
 * fully qualified name; BENCH_DNS_SERVERS replaces the system's servers). An empty answer or NXDOMAIN
 * is a definite "no addresses"; any other failure (timeout, refused, SERVFAIL) rejects.
 */
export function dnsResolver(env: NodeJS.ProcessEnv = process.env): (name: string) => Promise<ResolvedName> {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  const servers = dnsServers(env);
  if (servers) resolver.setServers(servers);
  return async (name) => {
    let nx = 0;
    const family = async (query: Promise<string[]>): Promise<string[]> => {
      try {
        return await query;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOTFOUND') nx++;
        if (code === 'ENODATA' || code === 'ENOTFOUND') return [];
        throw err;
      }
    };
    const [v4, v6] = await Promise.all([family(resolver.resolve4(name)), family(resolver.resolve6(name))]);
    return { addresses: [...v4, ...v6], nxdomain: nx === 2 };
  };
}
