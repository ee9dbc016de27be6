import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../core/errors.js';
import { moduleExtension } from '../core/package-paths.js';
import type { ScenarioDefinition } from './types.js';

/**
 * The ready scenarios: every file in scenarios/ready/ default-exports one ScenarioDefinition whose
 * name is the file name. Adding a scenario is adding one file; nothing else lists them.
 */
const readyDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ready');

let cache: Promise<Map<string, ScenarioDefinition>> | undefined;

async function load(): Promise<Map<string, ScenarioDefinition>> {
  const files = fs
    .readdirSync(readyDir)
    .filter((f) => f.endsWith(moduleExtension) && !f.endsWith('.d.ts'))
    .sort();
  const out = new Map<string, ScenarioDefinition>();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(readyDir, file)).href)) as { default?: ScenarioDefinition };
    const scenario = mod.default;
    const expected = path.basename(file, moduleExtension);
    if (!scenario || scenario.name !== expected) throw new Error(`scenarios/ready/${file} must default-export a scenario named ${expected}`);
    out.set(scenario.name, scenario);
  }
  return out;
}

export function loadScenarios(): Promise<Map<string, ScenarioDefinition>> {
  cache ??= load();
  return cache;
}

export async function getScenario(name: string): Promise<ScenarioDefinition> {
  const all = await loadScenarios();
  const found = all.get(name);
  if (!found) throw new UsageError(`unknown scenario ${JSON.stringify(name)}; ready scenarios: ${[...all.keys()].join(', ')}`);
  return structuredClone(found);
}
