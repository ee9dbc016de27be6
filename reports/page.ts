import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml as h, jsonForScript } from './escape.js';
import { chartSectionsHtml } from './html-sections.js';
import type { ChartSection, ChartSpec } from './chart-spec.js';

/**
 * The one page shell of every HTML output (report, capacity, profile, history): one self-contained
 * file. Scripts and styles are read from reports/client/ and inlined; the chart data is a JSON block
 * the client's chart code draws. The CSP allows only these exact scripts (by hash) and inline
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

export interface PageParts {
  title: string;
  /** Trusted HTML: every dynamic string in it is already escaped by its builder. */
  header: string;
  nav?: string;
  main: string;
  charts: ChartSpec[];
}

/** The page's heading and the muted line under it (escaped here). */
export function pageHeader(title: string, subtitle: string): string {
  return `<header><h1>${h(title)}</h1><p class="muted">${h(subtitle)}</p></header>`;
}

/** The self-contained page shell: inline styles, CSP-hashed inline scripts, chart data as JSON. */
export function renderPage(parts: PageParts): string {
  const { scripts, style } = clientAssets();
  for (const s of scripts) if (/<\/script/i.test(s)) throw new Error('client script contains </script');
  const csp = ["default-src 'none'", `script-src ${scripts.map(sha256).join(' ')}`, "style-src 'unsafe-inline'", 'img-src data:', "base-uri 'none'", "form-action 'none'"].join('; ');
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

/** A page of tables and chart sections (capacity, profile) in the shell, with the report's chart drawing. */
export function renderChartPage(title: string, bodyHtml: string, sections: ChartSection[]): string {
  return renderPage({
    title,
    header: pageHeader(title, `generated ${new Date().toISOString()}`),
    main: `${bodyHtml}\n${chartSectionsHtml(sections)}`,
    charts: sections.flatMap((s) => s.charts),
  });
}
