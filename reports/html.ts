import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml as h, jsonForScript } from './escape.js';
import { hasAvailability } from './faults.js';
import { availabilitySection } from './html-availability.js';
import {
  chartSections,
  chartSectionsHtml,
  environmentSection,
  latencySection,
  numbersSection,
  recommendationsSection,
  thresholdsSection,
  verdictSection,
} from './html-sections.js';
import type { ChartSection, ChartSpec } from './chart-spec.js';
import type { ReportModel } from './model.js';

/**
 * report.html: one self-contained file. Scripts and styles are read from reports/client/ and
 * inlined; the data is a JSON block. The CSP allows only these exact scripts (by hash) and inline
 * styles, and no network at all, so even a missed escape could not run or fetch anything.
 */

const clientDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client');
/** Classic scripts, in order: axes.js and chart.js define the drawing code main.js calls. */
const scriptFiles = ['axes.js', 'chart.js', 'main.js'];

let cached: { scripts: string[]; style: string } | undefined;
function clientAssets() {
  cached ??= {
    scripts: scriptFiles.map((f) => fs.readFileSync(path.join(clientDir, f), 'utf8')),
    style: fs.readFileSync(path.join(clientDir, 'style.css'), 'utf8'),
  };
  return cached;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

interface PageParts {
  title: string;
  /** Trusted HTML: every dynamic string in it is already escaped by its builder. */
  header: string;
  nav?: string;
  main: string;
  charts: ChartSpec[];
}

/** The self-contained page shell: inline styles, CSP-hashed inline scripts, chart data as JSON. */
function renderPage(parts: PageParts): string {
  const { scripts, style } = clientAssets();
  for (const s of scripts) if (/<\/script/i.test(s)) throw new Error('client script contains </script');
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(parts.title)}</title>
<style>${style}</style></head>
<body>
${parts.header}
${parts.nav ?? ''}
<main>
${parts.main}
</main>
<script type="application/json" id="report-data">${jsonForScript({ charts: parts.charts })}</script>
${scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body></html>
`;
}

export function renderHtml(model: ReportModel): string {
  const r = model.result;
  return renderPage({
    title: `temporal-bench: ${r.scenario.name} (${r.runId})`,
    header: `<header><h1>temporal-bench report: <span class="scenario">${h(r.scenario.name)}</span></h1>
<p class="muted">run ${h(r.runId)} · ${h(r.startedAt)} · generated ${h(model.generatedAt)}</p></header>`,
    nav: `<nav>${['verdict', 'thresholds', ...(hasAvailability(r) ? ['availability'] : []), 'recommendations', 'charts-load', 'charts-latency', 'charts-spectrum', 'charts-host-resources', 'charts-server', 'charts-worker', 'environment']
      .map((id) => `<a href="#${id}">${id.replace('charts-', '')}</a>`).join(' · ')}</nav>`,
    main: [
      verdictSection(model),
      numbersSection(model),
      thresholdsSection(model),
      availabilitySection(model),
      latencySection(model),
      recommendationsSection(model),
      chartSections(model),
      environmentSection(model),
    ].join('\n'),
    charts: model.sections.flatMap((s) => s.charts),
  });
}

/** Another page (e.g. the capacity report) in the same shell, with the same chart drawing. */
export function renderChartPage(title: string, bodyHtml: string, sections: ChartSection[]): string {
  return renderPage({
    title,
    header: `<header><h1>${h(title)}</h1><p class="muted">generated ${h(new Date().toISOString())}</p></header>`,
    main: `${bodyHtml}\n${chartSectionsHtml(sections)}`,
    charts: sections.flatMap((s) => s.charts),
  });
}
