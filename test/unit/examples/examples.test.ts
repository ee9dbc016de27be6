import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { repoRoot } from '../../helpers/test-stack.js';

/**
 * The copyable examples (.github/workflows/bench-gate.yml, deploy/k8s/*.yaml) must only use `bench`
 * flags that exist. The flags are read live from `bench <command> --help`, so the test follows the
 * CLI as commands land and change.
 */
const exampleFiles = [
  path.join(repoRoot, '.github', 'workflows', 'bench-gate.yml'),
  ...readdirSync(path.join(repoRoot, 'deploy', 'k8s'))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(repoRoot, 'deploy', 'k8s', f)),
];

/** YAML block scalars and shell continuations flattened so each command is one line. */
function flatten(text: string): string {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const folded = /(:|-)\s*>-?\s*$/.test(line);
    if (!folded) {
      out.push(line);
      continue;
    }
    // A folded scalar: the following more-indented lines are one line joined by spaces.
    const indent = line.search(/\S/);
    const parts: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1]!.trim() === '' || lines[i + 1]!.search(/\S/) > indent)) parts.push(lines[++i]!.trim());
    out.push(`${line.replace(/>-?\s*$/, '')} ${parts.join(' ')}`);
  }
  return (
    out
      .join('\n')
      .replace(/\\\n\s*/g, ' ')
      // A GitHub expression evaluates to one of its string literals; keep them all so their flags are checked.
      .replace(/\$\{\{(.*?)\}\}/g, (_m, expr: string) => [...expr.matchAll(/'([^']*)'/g)].map((m) => m[1]).join(' '))
  );
}

interface BenchInvocation {
  file: string;
  command: string;
  flags: string[];
}

function benchInvocations(file: string, text: string): BenchInvocation[] {
  const found: BenchInvocation[] = [];
  for (const m of flatten(text).matchAll(/(?:node\s+(?:\S*\/)?bin\/bench\.js|npx\s+bench|(?<![\w/.-])bench)\s+([a-z][a-z-]*)([^;\n|&]*)/g)) {
    const flags = [...m[2]!.matchAll(/(?:^|\s)["']?--([a-z0-9][a-z0-9-]*)/g)].map((f) => f[1]!);
    found.push({ file: path.relative(repoRoot, file), command: m[1]!, flags });
  }
  return found;
}

const helpCache = new Map<string, Promise<{ code: number | null; flags: Set<string> }>>();
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The flags `bench <command> --help` lists, as typed on a command line (kebab-case). */
function liveFlags(command: string) {
  if (!helpCache.has(command)) {
    helpCache.set(
      command,
      runCli([command, '--help'], { timeoutMs: 60_000 }).then((r) => ({
        code: r.code,
        flags: new Set([...r.stdout.matchAll(/(?:^|\s|,)--([A-Za-z0-9][A-Za-z0-9-]*)/g)].map((f) => kebab(f[1]!))),
      })),
    );
  }
  return helpCache.get(command)!;
}

describe('copyable examples', () => {
  const invocations = exampleFiles.flatMap((f) => benchInvocations(f, readFileSync(f, 'utf8')));

  it('the examples exist and use bench run --baseline --gate, bench report, bench worker and the soak scenario', () => {
    const texts = exampleFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(exampleFiles.map((f) => path.basename(f)).sort()).toEqual(['bench-gate.yml', 'distributed-run-job.yaml', 'merge-job.yaml', 'results-pvc.yaml', 'servicemonitor.yaml', 'soak-cronjob.yaml', 'worker-deployment.yaml']);
    expect(invocations.some((i) => i.command === 'run' && i.flags.includes('baseline') && i.flags.includes('gate'))).toBe(true);
    expect(invocations.some((i) => i.command === 'report')).toBe(true);
    expect(invocations.some((i) => i.command === 'worker')).toBe(true);
    expect(invocations.some((i) => i.command === 'run' && /--scenario soak/.test(flatten(texts)))).toBe(true);
    expect(texts).toMatch(/kind: ServiceMonitor/);
    expect(texts).toMatch(/kind: CronJob/);
    expect(texts).toMatch(/kind: Deployment/);
    // Distributed runs: an Indexed Job whose completion index is the segment, merged afterwards.
    expect(texts).toMatch(/completionMode: Indexed/);
    expect(invocations.some((i) => i.command === 'run' && i.flags.includes('segment') && i.flags.includes('start-at'))).toBe(true);
    expect(invocations.some((i) => i.command === 'merge')).toBe(true);
    expect(texts).toMatch(/clusterIP: None/);
  });

  it('the flattener and extractor see folded, continued and templated commands', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
    const yaml = ['args:', '  - >-', '    exec node bin/bench.js worker --a 1', '    --b-c x; bench report d --e', "run: bench compare a b ${{ x && '--f' || '' }}"].join('\n');
    expect(benchInvocations('x.yaml', yaml).map((i) => `${i.command}:${i.flags}`)).toEqual(['worker:a,b-c', 'report:e', 'compare:f']);
  });

  it('every bench command and flag they use exists in the real CLI', async () => {
    const missing: string[] = [];
    for (const inv of invocations) {
      const live = await liveFlags(inv.command);
      if (live.code !== 0) {
        missing.push(`${inv.file}: bench ${inv.command} (no such command)`);
        continue;
      }
      for (const flag of inv.flags) {
        const known = live.flags.has(flag) || (flag.startsWith('no-') && live.flags.has(flag.slice(3)));
        if (!known) missing.push(`${inv.file}: bench ${inv.command} --${flag}`);
      }
    }
    expect([...new Set(missing)], `flags the CLI does not have:\n${[...new Set(missing)].join('\n')}`).toEqual([]);
  }, 120_000);
});
