import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { compareResults, exitCodeFor, type CompareOptions, type Comparison, type ComparisonVerdict } from './compare.js';
import { loadLocated, resultPath } from './load.js';
import { renderComparisonMarkdown } from './markdown.js';

export interface GateOptions extends CompareOptions {
  /** Write compare.json and compare.md next to the candidate's result.json (default true). */
  write?: boolean;
}

export interface GateOutcome {
  verdict: ComparisonVerdict;
  /** 0; 99 when anything regressed beyond tolerance; 98 when it did but beside a busier host (inconclusive). */
  exitCode: number;
  markdown: string;
  comparison: Comparison;
}

/**
 * The `bench run --baseline FILE --gate` step: compares the run just written in `resultDir` with the
 * baseline. Throws UsageError (exit 2) for a bad baseline: missing, another schema version, another
 * scenario unless allowDifferentScenario.
 */
export function gateAgainstBaseline(resultDir: string, baselinePath: string, options: GateOptions = {}): GateOutcome {
  const baseline = loadLocated(baselinePath, 'baseline');
  const candidate = loadLocated(resultDir, 'candidate');
  const comparison = compareResults(baseline, candidate, options);
  const markdown = renderComparisonMarkdown(comparison, { baseline: baseline.result, candidate: candidate.result });
  if (options.write !== false) {
    const dir = path.dirname(resultPath(resultDir));
    writeFileSync(path.join(dir, 'compare.json'), `${JSON.stringify(comparison, null, 2)}\n`);
    writeFileSync(path.join(dir, 'compare.md'), markdown);
  }
  return { verdict: comparison.verdict, exitCode: exitCodeFor(comparison), markdown, comparison };
}
