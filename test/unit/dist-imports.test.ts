import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compiledIsCurrent } from '../../bin/build-state.js';
import { repoRoot } from '../helpers/test-stack.js';

const dist = path.join(repoRoot, 'dist');

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));
}

/** Every module specifier a file loads: static imports/exports, dynamic import(), require(), and `--import X` flags. */
function loadedSpecifiers(code: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /['"]--import['"]\s*,\s*['"]([^'"]+)['"]/g,
  ];
  return patterns.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]!));
}

const forbidden = (spec: string) => spec === 'tsx' || spec.startsWith('tsx/') || /\.[mc]?ts$/.test(spec);

describe('the compiled build (dist/) runs without tsx', () => {
  it('is built and current (scripts/test builds before the tests)', () => {
    expect(compiledIsCurrent(repoRoot), 'dist/ is missing or older than the sources: npm run build').toBe(true);
  });

  it('no runtime file under dist/ imports tsx or a .ts path', () => {
    const offenders = jsFiles(dist)
      .filter((f) => !f.endsWith('workflow-bundle.js'))
      .flatMap((f) =>
        loadedSpecifiers(fs.readFileSync(f, 'utf8'))
          .filter(forbidden)
          .map((s) => `${path.relative(dist, f)}: ${s}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the scanner sees every way a file can load tsx or a .ts file', () => {
    const code = ["import { a } from 'tsx/esm/api';", "export * from './x.ts';", "import './side.ts';", "await import('tsx');", "require('./y.cts');", "fork(f, [], { execArgv: ['--import', 'tsx'] });"].join('\n');
    expect(loadedSpecifiers(code).filter(forbidden)).toEqual(['tsx/esm/api', './x.ts', './side.ts', 'tsx', './y.cts', 'tsx']);
  });

  it('compiled children are forked as plain JavaScript: the runtime flags, no loader', async () => {
    const paths = (await import(pathToFileURL(path.join(dist, 'core', 'package-paths.js')).href)) as typeof import('../../core/package-paths.js');
    expect(paths.isCompiled).toBe(true);
    expect(paths.packageRoot).toBe(repoRoot);
    const entry = paths.childEntry(pathToFileURL(path.join(dist, 'workers', 'pool.js')).href, 'child');
    expect(entry).toEqual({ modulePath: path.join(dist, 'workers', 'child.js'), execArgv: ['--no-memory-reducer'] });
    expect(fs.existsSync(entry.modulePath)).toBe(true);
  });
});
