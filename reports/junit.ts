import { escapeXml as x } from './escape.js';
import { faultCases } from './junit-faults.js';
import type { ReportModel } from './model.js';
import { compact } from './format.js';

/**
 * junit.xml for CI test tabs: one test case per threshold (a failure element for each failed one),
 * plus a separate suite for run validity so an invalid run is red without posing as a threshold, and
 * one for injected faults (each passes when the action itself succeeded). Availability thresholds
 * (`unavailable_seconds`, `recovery_time`) are ordinary thresholds and land in the first suite.
 */
export function renderJunit(model: ReportModel): string {
  const r = model.result;
  const s = r.summary;
  const classname = `temporal-bench.${r.scenario.name}`;
  const cases = s.thresholds.map((t) => {
    const name = `${t.metric}: ${t.expression}`;
    const observed = `observed ${compact(t.value)}`;
    const failure = t.ok ? '' : `\n      <failure message="${x(`${name} failed: ${observed}`)}" type="threshold">${x(`${name}\n${observed}${t.value === null ? ' (no samples)' : ''}`)}</failure>`;
    return `    <testcase classname="${x(classname)}" name="${x(name)}">${failure}${t.ok ? '' : '\n    '}</testcase>`;
  });
  const failures = s.thresholds.filter((t) => !t.ok).length;
  const faults = faultCases(r, classname);
  const invalid = s.valid ? '' : `\n      <failure message="${x(`invalid run: ${s.invalidReasons.join('; ')}`)}" type="invalid-run">${x(s.invalidReasons.join('\n'))}</failure>\n    `;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="temporal-bench" tests="${s.thresholds.length + 1 + faults.tests}" failures="${failures + (s.valid ? 0 : 1) + faults.failures}">
  <testsuite name="${x(`thresholds: ${r.scenario.name}`)}" tests="${s.thresholds.length}" failures="${failures}" timestamp="${x(r.startedAt.replace(/(\.\d+)?Z$/, ''))}">
${cases.join('\n')}
  </testsuite>
  <testsuite name="${x(`run: ${r.scenario.name}`)}" tests="1" failures="${s.valid ? 0 : 1}">
    <testcase classname="${x(classname)}" name="generator held the target rate (run valid)">${invalid}</testcase>
  </testsuite>
${faults.suite}</testsuites>
`;
}
