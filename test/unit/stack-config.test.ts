import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { parseDynamicConfigFlag, renderDynamicConfig } from '../../stack/dynamic-config.js';
import { defaultStackOptions, parsePostgresUrl } from '../../stack/options.js';
import { renderServerConfig } from '../../stack/server-config.js';
import { checkPortsFitPersistence, layoutServerProcesses, portsToBind } from '../../stack/topology.js';
import { toYaml } from '../../stack/yaml.js';

describe('dynamic config flags', () => {
  it('parses numbers, booleans, strings and constraints', () => {
    expect(parseDynamicConfigFlag('frontend.rps=100')).toEqual({ key: 'frontend.rps', value: 100, constraints: {} });
    expect(parseDynamicConfigFlag('system.enableX=true').value).toBe(true);
    expect(parseDynamicConfigFlag('frontend.namespaceRPS=50@namespace=bench')).toEqual({ key: 'frontend.namespaceRPS', value: 50, constraints: { namespace: 'bench' } });
  });

  it('renders the server file format, one list per key', () => {
    const yaml = toYaml(renderDynamicConfig([parseDynamicConfigFlag('frontend.namespaceRPS=50@namespace=bench'), parseDynamicConfigFlag('frontend.namespaceRPS=10')]));
    expect(yaml).toBe('frontend.namespaceRPS:\n  - value: 50\n    constraints:\n      namespace: "bench"\n  - value: 10\n');
  });

  it.each(['frontend.rps', '=3', 'Frontend=1', 'frontend.rps=', 'frontend.rps=1@bogus=x', 'frontend.rps=[1'])('rejects %j', (flag) => {
    expect(() => parseDynamicConfigFlag(flag)).toThrow(UsageError);
  });
});

describe('server process layout', () => {
  it('single: one process with all services on distinct ports', () => {
    const procs = layoutServerProcesses(defaultStackOptions());
    expect(procs).toHaveLength(1);
    const ports = portsToBind(defaultStackOptions(), procs).map((p) => p.port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(procs[0]!.ports.frontend.grpc).toBe(7233);
  });

  it('split with 3 replicas: like production, every port distinct', () => {
    const options = defaultStackOptions({ topology: 'split', replicas: 3 });
    const procs = layoutServerProcesses(options);
    expect(procs.map((p) => p.id)).toEqual(['frontend-0', 'history-0', 'history-1', 'history-2', 'matching-0', 'matching-1', 'matching-2', 'worker-0']);
    const ports = portsToBind(options, procs).map((p) => p.port);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('refuses service ports PostgreSQL persistence cannot store (smallint), not those of sqlite or metrics', () => {
    const high = defaultStackOptions({ frontendPort: 17233, internalPortBase: 32765 });
    expect(() => checkPortsFitPersistence(high, layoutServerProcesses(high))).toThrow(/port 32768 \(.*\) is above 32767: with PostgreSQL/);
    const sqlite = { ...high, persistence: 'sqlite' as const };
    expect(() => checkPortsFitPersistence(sqlite, layoutServerProcesses(sqlite))).not.toThrow();
    const metricsHigh = defaultStackOptions({ metricsPort: 48000, prometheusPort: 49090 });
    expect(() => checkPortsFitPersistence(metricsHigh, layoutServerProcesses(metricsHigh))).not.toThrow();
  });

  it('renders 512 shards, tally Prometheus and the dynamic config path', () => {
    const options = defaultStackOptions();
    // biome-ignore lint/suspicious/noExplicitAny: walks the rendered YAML's nested keys
    const config = renderServerConfig(options, layoutServerProcesses(options)[0]!, '/x/dc.yaml') as Record<string, any>;
    expect(config.persistence.numHistoryShards).toBe(512);
    expect(config.global.metrics.prometheus).toEqual({ framework: 'tally', timerType: 'histogram', listenAddress: '127.0.0.1:8000' });
    expect(config.dynamicConfigClient.filepath).toBe('/x/dc.yaml');
    expect(config.persistence.datastores.default.sql.pluginName).toBe('postgres12');
  });
});

describe('PostgreSQL URL', () => {
  it('takes host, port, user, password and database; visibility follows the database name', () => {
    const base = defaultStackOptions().postgres;
    expect(parsePostgresUrl('postgres://u:p%40ss@db:6543/tb', base)).toEqual({ host: 'db', port: 6543, user: 'u', password: 'p@ss', database: 'tb', visibilityDatabase: 'tb_visibility' });
    expect(() => parsePostgresUrl('mysql://x', base)).toThrow(/scheme/);
  });
});
