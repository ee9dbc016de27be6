import { parseDurationMs } from './duration.js';

/**
 * Checks a value against the scenario schema (scenarios/schema.ts) and names the first problem with
 * its JSON path and what to write instead: unknown fields get the nearest known name, or the object
 * they belong in when they are misplaced; an object written as a string gets an example. One walker
 * over the JSON Schema keywords the schema uses, so the schema stays the single source.
 */

interface Schema {
  type?: string;
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  patternProperties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  'x-discriminator'?: string;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  examples?: unknown[];
}

export interface SchemaIssue {
  path: string;
  message: string;
}

const maxDataDepth = 32;

const show = (v: unknown): string => {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const typeMatches = (schema: Schema, v: unknown): boolean => (schema.const !== undefined ? v === schema.const : schema.type === undefined || schema.type === jsonType(v) || (schema.type === 'number' && typeof v === 'number'));
const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);

/** What a schema expects, in words. */
export function describe(schema: Schema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.every((b) => b.const !== undefined) ? `one of ${schema.anyOf.map((b) => JSON.stringify(b.const)).join(', ')}` : schema.anyOf.map(describe).join(' or ');
  if (schema.format?.endsWith('duration')) return `a duration like 500ms, 20s or 1m30s${schema.format === 'positive-duration' ? ', longer than zero' : ''}`;
  if (schema.type === 'number' || schema.type === 'integer') {
    const low = schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : schema.minimum !== undefined ? `≥ ${schema.minimum}` : '';
    return `${schema.type === 'integer' ? 'a whole number' : 'a number'}${low ? ` ${low}` : ''}${schema.maximum !== undefined ? ` and ≤ ${schema.maximum}` : ''}`;
  }
  if (schema.type === 'object') return schema.examples?.length ? `an object like ${JSON.stringify(schema.examples[0])}` : 'an object';
  if (schema.type === 'array') return 'a list';
  if (schema.type === 'string') return 'a string';
  return schema.type ?? 'a value';
}

/** Edit distance with adjacent transpositions (a swapped pair of letters is one typo). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[x.length]![y.length]!;
}

/** Fields of the object (or union of objects) a schema describes. */
function fieldsOf(schema: Schema | undefined): string[] {
  if (!schema) return [];
  if (schema.properties) return Object.keys(schema.properties);
  return [...new Set((schema.anyOf ?? []).flatMap(fieldsOf))];
}

/** Why a key is unknown: a typo of a known field, or a field of one of this object's sub-objects. */
function unknownField(schema: Schema, key: string, owner: string): string {
  const known = Object.keys(schema.properties ?? {});
  const home = known.find((k) => fieldsOf(schema.properties![k]).includes(key));
  if (home) return `unknown field: "${key}" is a field of ${home}, not of ${owner}; move it into "${home}": {...}`;
  const near = known.filter((k) => distance(k, key) <= Math.max(1, Math.floor(k.length / 4))).sort((a, b) => distance(a, key) - distance(b, key))[0];
  if (near) return `unknown field; did you mean "${near}"?`;
  return `unknown field; known fields: ${known.join(', ')}`;
}

function depthOf(v: unknown, limit: number): number {
  if (v === null || typeof v !== 'object') return 0;
  if (limit <= 0) return 1;
  let max = 0;
  for (const child of Object.values(v)) max = Math.max(max, depthOf(child, limit - 1));
  return max + 1;
}

function checkScalar(schema: Schema, v: unknown, path: string): SchemaIssue | undefined {
  const fail = (why = `expected ${describe(schema)}, got ${show(v)}`) => ({ path, message: why });
  if (schema.format === 'bounded-json') return depthOf(v, maxDataDepth + 1) > maxDataDepth ? fail(`nested deeper than ${maxDataDepth} levels`) : undefined;
  if (schema.const !== undefined) return v === schema.const ? undefined : fail();
  if (schema.type === 'string') {
    if (typeof v !== 'string') return fail();
    if (v.length < (schema.minLength ?? 0)) return fail(schema.minLength === 1 ? 'must not be empty' : undefined);
    if (schema.maxLength !== undefined && v.length > schema.maxLength) return fail(`longer than ${schema.maxLength} characters`);
    if (schema.format?.endsWith('duration')) {
      if (schema.pattern && !new RegExp(schema.pattern).test(v)) return fail();
      if (schema.format === 'positive-duration' && parseDurationMs(v) <= 0) return fail(`${show(v)}: must be longer than zero`);
    } else if (schema.pattern && !new RegExp(schema.pattern).test(v)) return fail(`${show(v)} does not match ${schema.pattern}`);
    return undefined;
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    if (typeof v !== 'number' || !Number.isFinite(v) || (schema.type === 'integer' && !Number.isInteger(v))) return fail();
    if ((schema.exclusiveMinimum !== undefined && v <= schema.exclusiveMinimum) || (schema.minimum !== undefined && v < schema.minimum) || (schema.maximum !== undefined && v > schema.maximum)) return fail();
    return undefined;
  }
  if (schema.type === 'boolean' && typeof v !== 'boolean') return fail();
  return undefined;
}

function checkObject(schema: Schema, v: unknown, path: string, owner: string): SchemaIssue | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { path, message: `expected ${describe(schema)}, got ${show(v)}` };
  const obj = v as Record<string, unknown>;
  for (const key of schema.required ?? []) if (!(key in obj)) return { path: join(path, key), message: `missing field (${describe(schema.properties![key]!)})` };
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (!(key in obj) || obj[key] === undefined) continue;
    const issue = walk(child, obj[key], join(path, key), key);
    if (!issue) continue;
    // An object written flat: say which of its fields were left beside it.
    const strays = Object.keys(obj).filter((k) => !(k in schema.properties!) && fieldsOf(child).includes(k));
    if (strays.length && (obj[key] === null || typeof obj[key] !== 'object')) issue.message += `; ${strays.map((k) => `"${k}"`).join(', ')} ${strays.length > 1 ? 'are fields' : 'is a field'} of ${key}, not of ${owner}`;
    return issue;
  }
  const pattern = Object.values(schema.patternProperties ?? {})[0];
  for (const [key, value] of Object.entries(obj)) {
    if (schema.properties && key in schema.properties) continue;
    if (pattern) {
      const issue = walk(pattern, value, join(path, key), key);
      if (issue) return issue;
    } else if (schema.additionalProperties === false) return { path: join(path, key), message: unknownField(schema, key, owner) };
  }
  return undefined;
}

function checkUnion(schema: Schema, v: unknown, path: string, owner: string): SchemaIssue | undefined {
  const branches = schema.anyOf!;
  const tag = schema['x-discriminator'];
  if (tag) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { path, message: `expected ${describe({ type: 'object', examples: schema.examples })}, got ${show(v)}` };
    const branch = branches.find((b) => b.properties?.[tag]?.const === (v as Record<string, unknown>)[tag]);
    if (!branch) return { path: join(path, tag), message: `expected one of ${branches.map((b) => JSON.stringify(b.properties![tag]!.const)).join(', ')}, got ${show((v as Record<string, unknown>)[tag])}` };
    return walk(branch, v, path, owner);
  }
  const candidates = branches.filter((b) => typeMatches(b, v));
  if (candidates.length === 1) return walk(candidates[0]!, v, path, owner);
  if (candidates.some((b) => !walk(b, v, path, owner))) return undefined;
  return { path, message: `expected ${describe(schema)}, got ${show(v)}` };
}

/** The first problem of `v` against `schema` (a TypeBox schema), or undefined when it conforms. `owner` names v in messages. */
export function check(schema: object, v: unknown, path = '', owner = 'the scenario'): SchemaIssue | undefined {
  return walk(schema as Schema, v, path, owner);
}

function walk(schema: Schema, v: unknown, path: string, owner: string): SchemaIssue | undefined {
  if (schema.anyOf) return checkUnion(schema, v, path, owner);
  if (schema.type === 'object') return checkObject(schema, v, path, owner);
  if (schema.type === 'array') {
    if (!Array.isArray(v)) return { path, message: `expected ${describe(schema)}, got ${show(v)}` };
    if (v.length < (schema.minItems ?? 0)) return { path, message: schema.minItems === 1 ? 'must not be empty' : `needs at least ${schema.minItems} entries` };
    if (schema.maxItems !== undefined && v.length > schema.maxItems) return { path, message: `more than ${schema.maxItems} entries` };
    for (let i = 0; i < v.length; i++) {
      const issue = walk(schema.items!, v[i], join(path, i), owner);
      if (issue) return issue;
    }
    return undefined;
  }
  return checkScalar(schema, v, path);
}

/** `path: message`, or just the message at the top level. */
export function formatIssue(issue: SchemaIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}
