import { escapeHtml as h } from './escape.js';
import { hasAvailability } from './faults.js';
import { availabilitySection } from './html-availability.js';
import { chartSections, environmentSection, latencySection, numbersSection, recommendationsSection, thresholdsSection, verdictSection } from './html-sections.js';
import type { ReportModel } from './model.js';
import { renderPage } from './page.js';

/** report.html: the run's sections in the one page shell (reports/page.ts). */
export function renderHtml(model: ReportModel): string {
  const r = model.result;
  return renderPage({
    title: `temporal-bench: ${r.scenario.name} (${r.runId})`,
    header: `<header><h1>temporal-bench report: <span class="scenario">${h(r.scenario.name)}</span></h1>
<p class="muted">run ${h(r.runId)} · ${h(r.startedAt)} · generated ${h(model.generatedAt)}</p></header>`,
    nav: `<nav>${['verdict', 'thresholds', ...(hasAvailability(r) ? ['availability'] : []), 'recommendations', 'charts-load', 'charts-latency', 'charts-spectrum', 'charts-host-resources', 'charts-server', 'charts-worker', 'environment']
      .map((id) => `<a href="#${id}">${id.replace('charts-', '')}</a>`)
      .join(' · ')}</nav>`,
    main: [verdictSection(model), numbersSection(model), thresholdsSection(model), availabilitySection(model), latencySection(model), recommendationsSection(model), chartSections(model), environmentSection(model)].join('\n'),
    charts: model.sections.flatMap((s) => s.charts),
  });
}
