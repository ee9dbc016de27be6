import path from 'node:path';

/**
 * Regenerates the candidate's report (report.html, summary.md, junit.xml) with the baseline's
 * histograms overlaid on the HDR percentile spectrum. Imported lazily: the report module pulls in
 * the Prometheus client, which plain `bench compare` does not need.
 */
export async function renderReportWithBaseline(candidateResult: string, baselineResult: string): Promise<string> {
  const { generateReport } = await import('../reports/generate.js');
  const outputs = await generateReport(path.dirname(candidateResult), { baseline: baselineResult });
  return outputs.html;
}
