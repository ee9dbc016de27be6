import type { ResultFile } from '../recorder/result-schema.js';
import { escapeXml as x } from './escape.js';
import { atS, faultLabel, impactText } from './faults.js';

/**
 * junit.xml's `faults` suite: one case per injected fault, failed when the action itself did not
 * succeed (a kill that found no process is a broken test, not a resilient cluster). The outage it
 * caused is judged by the availability thresholds, not here. Empty when the run injected nothing.
 */
export function faultCases(r: ResultFile, classname: string): { suite: string; tests: number; failures: number } {
  const faults = r.faults ?? [];
  if (faults.length === 0) return { suite: '', tests: 0, failures: 0 };
  const cases = faults.map((f, i) => {
    const name = `fault ${i + 1}: ${faultLabel(f)} at ${f.firedAtS === null ? `${atS(f.atS)} (planned)` : atS(f.firedAtS)}`;
    const out = `<system-out>${x(`${f.spec}\n${f.outcome}\n${impactText(r, i)}`)}</system-out>`;
    const failure = f.ok ? '' : `\n      <failure message="${x(`${name} failed: ${f.outcome}`)}" type="fault">${x(f.exitCode === undefined ? f.outcome : `${f.outcome}\nexit code ${f.exitCode}`)}</failure>`;
    return `    <testcase classname="${x(classname)}" name="${x(name)}">${failure}\n      ${out}\n    </testcase>`;
  });
  const failures = faults.filter((f) => !f.ok).length;
  const suite = `  <testsuite name="${x(`faults: ${r.scenario.name}`)}" tests="${faults.length}" failures="${failures}">
${cases.join('\n')}
  </testsuite>
`;
  return { suite, tests: faults.length, failures };
}
