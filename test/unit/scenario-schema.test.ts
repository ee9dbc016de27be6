import { Ajv } from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeScenario } from '../../scenarios/compose.js';
import { loadScenarios } from '../../scenarios/registry.js';
import { scenarioJsonSchema, ScenarioFileSchema, ScenarioSchema } from '../../scenarios/schema.js';
import { check, formatIssue } from '../../scenarios/validate.js';

const scenariosDir = path.join(import.meta.dirname, '..', '..', 'scenarios');
/** A JSON Schema validator as an editor uses it, knowing the schema's own formats (the pattern keyword checks durations too). */
function editorValidator() {
  const ajv = new Ajv({ strict: false });
  for (const format of ['duration', 'positive-duration', 'bounded-json']) ajv.addFormat(format, true);
  return ajv.compile(scenarioJsonSchema());
}
const examples = fs.readdirSync(path.join(scenariosDir, 'examples')).map((f) => path.join(scenariosDir, 'examples', f));

describe('the scenario schema: one source for the types, the validator and editors', () => {
  it('scenarios/scenario.schema.json is what `bench schema` prints (regenerate: bench schema > scenarios/scenario.schema.json)', () => {
    expect(JSON.parse(fs.readFileSync(path.join(scenariosDir, 'scenario.schema.json'), 'utf8'))).toEqual(scenarioJsonSchema());
  });

  it('every ready scenario conforms', async () => {
    for (const s of (await loadScenarios()).values()) expect(check(ScenarioSchema, s), s.name).toBeUndefined();
  });

  it('every example carries $schema, conforms for the validator and for a JSON Schema validator, and composes', async () => {
    const validate = editorValidator();
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const file of examples) {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(data.$schema, file).toBe('../scenario.schema.json');
      expect(check(ScenarioFileSchema, data), file).toBeUndefined();
      expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
      const scenario = await composeScenario(undefined, file, {});
      expect(scenario).not.toHaveProperty('$schema');
    }
  });

  it('editors see the same strictness: the JSON Schema rejects an unknown field, a flat executor and a string rate', () => {
    const validate = editorValidator();
    expect(validate({ extends: 'steady', rate: 10 })).toBe(false);
    expect(validate({ extends: 'steady', executor: 'constant-arrival-rate' })).toBe(false);
    expect(validate({ extends: 'steady', executor: { rate: '10' } })).toBe(false);
    expect(validate({ extends: 'steady', executor: { rate: 10 } })).toBe(true);
  });

  it('names with emoji and markup are accepted as data (the report escapes them)', () => {
    const s = { name: '🚀 <script>alert(1)</script>', description: '“quotes” & <b>', executor: { executor: 'constant-arrival-rate', rate: 5, duration: '10s' }, mix: [{ kind: 'activity', tag: 'rocket' }] };
    expect(check(ScenarioSchema, s)).toBeUndefined();
    // A tag is a metric label and part of file names: the schema refuses what the runner would.
    expect(formatIssue(check(ScenarioSchema, { ...s, mix: [{ kind: 'activity', tag: '🚀' }] })!)).toMatch(/^mix\[0\]\.tag: /);
  });

  it('messages carry the JSON path and what to write', () => {
    const issue = (v: unknown) => formatIssue(check(ScenarioFileSchema, v)!);
    expect(issue({ extends: 'steady', executor: 'constant-arrival-rate', rate: 1e9, duration: '10s' })).toBe(
      'executor: expected an object like {"executor":"constant-arrival-rate","rate":10,"timeUnit":"1s","duration":"1m"}, got "constant-arrival-rate"; "rate", "duration" are fields of executor, not of the scenario',
    );
    expect(issue({ thresholds: { 'start_latency{kind:x}': [5] } })).toBe('thresholds["start_latency{kind:x}"][0]: expected a string or an object, got 5');
    expect(issue({ mix: [{ kind: 'activity', interactions: [{ type: 'signal', name: 'x', count: 0 }] }] })).toBe('mix[0].interactions[0].count: expected a whole number ≥ 1 and ≤ 10000, got 0');
  });
});
