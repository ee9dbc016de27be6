import { UsageError } from '../core/errors.js';
import type { YamlValue } from './yaml.js';

/**
 * One dynamic-config override. `constraints` narrows it (namespace, taskQueueName, taskType), as in
 * the server's file format: `key: [{value: X, constraints: {namespace: ...}}]`.
 */
export interface DynamicConfigEntry {
  key: string;
  value: YamlValue;
  constraints: Record<string, string>;
}

const keyPattern = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/;
const constraintNames = new Set(['namespace', 'namespaceId', 'taskQueueName', 'taskType', 'shardId']);

function parseValue(raw: string): YamlValue {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (/^[[{]/.test(raw)) {
    try {
      return JSON.parse(raw) as YamlValue;
    } catch {
      throw new UsageError(`--dynamic-config value ${JSON.stringify(raw)} is not valid JSON`);
    }
  }
  return raw;
}

/** Parses `key=value` or `key=value@namespace=bench,taskQueueName=tq` flags. */
export function parseDynamicConfigFlag(flag: string): DynamicConfigEntry {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new UsageError(`--dynamic-config ${JSON.stringify(flag)}: expected key=value, e.g. frontend.namespaceRPS=100`);
  const key = flag.slice(0, eq).trim();
  if (!keyPattern.test(key)) throw new UsageError(`--dynamic-config key ${JSON.stringify(key)} is not a dynamic config key (like frontend.rps)`);
  const rest = flag.slice(eq + 1);
  const at = rest.lastIndexOf('@');
  const hasConstraints = at >= 0 && /^[A-Za-z]+=/.test(rest.slice(at + 1));
  const valueText = hasConstraints ? rest.slice(0, at) : rest;
  const constraints: Record<string, string> = {};
  if (hasConstraints) {
    for (const part of rest.slice(at + 1).split(',')) {
      const [name, value] = part.split('=');
      if (!name || !value || !constraintNames.has(name)) {
        throw new UsageError(`--dynamic-config constraint ${JSON.stringify(part)}: expected one of ${[...constraintNames].join(', ')}=value`);
      }
      constraints[name] = value;
    }
  }
  if (valueText === '') throw new UsageError(`--dynamic-config ${JSON.stringify(flag)} has no value`);
  return { key, value: parseValue(valueText), constraints };
}

/** The dynamic config file body; entries for the same key become one list, in flag order. */
export function renderDynamicConfig(entries: DynamicConfigEntry[]): YamlValue {
  const out: Record<string, YamlValue[]> = {};
  for (const entry of entries) {
    (out[entry.key] ??= []).push(Object.keys(entry.constraints).length > 0 ? { value: entry.value, constraints: entry.constraints } : { value: entry.value });
  }
  return out;
}

/**
 * Settings every local stack starts with. Updates are off by default in 1.24 (the server answers
 * PERMISSION_DENIED), and the update workloads need them; a flag for the same key replaces a default.
 */
export const stackDefaultDynamicConfig: DynamicConfigEntry[] = [{ key: 'frontend.enableUpdateWorkflowExecution', value: true, constraints: {} }];

export function withStackDefaults(entries: DynamicConfigEntry[]): DynamicConfigEntry[] {
  const overridden = new Set(entries.map((e) => e.key));
  return [...stackDefaultDynamicConfig.filter((d) => !overridden.has(d.key)), ...entries];
}
