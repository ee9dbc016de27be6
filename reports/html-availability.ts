import type { Availability, FaultImpact, FaultRecord, ResultFile } from '../recorder/result-schema.js';
import { escapeHtml as h } from './escape.js';
import { atS, availabilityFigures, codesText, faultLabel, hasAvailability } from './faults.js';
import { table } from './html-sections.js';
import type { ReportModel } from './model.js';
import { compact } from './format.js';

/** report.html's Availability section: injected faults, outage windows and what clients lost. */

const secs = (s: number | null | undefined) => (s === null || s === undefined ? '—' : `${compact(s)} s`);

function impactCells(impact: FaultImpact | undefined, fired: boolean): string[] {
  if (!impact) return [fired ? 'not analysed' : 'not fired', '—', '—'];
  if (impact.impact === 'no visible impact') return ['no visible impact', '—', '—'];
  return ['outage', secs(impact.firstErrorAfterS), impact.recoveryS === null ? 'not recovered' : secs(impact.recoveryS)];
}

function faultsTable(faults: FaultRecord[], a: Availability | undefined): string {
  const rows = faults.map((f, i) => {
    const target = f.action === 'exec' ? (f.cmd ?? f.target) : f.target;
    const result = `<span class="badge ${f.ok ? 'pass' : 'fail'}">${f.ok ? 'ok' : 'FAILED'}</span>`;
    const impact = impactCells(
      a?.faults.find((x) => x.fault === i),
      f.firedAtS !== null,
    );
    const when = f.firedAtS === null ? `planned ${atS(f.atS)}, not fired` : atS(f.firedAtS);
    return [h(when), h(f.action), h(target), h(atS(f.restartedAtS)), result, ...impact.map(h), h(f.outcome)];
  });
  const attrs = faults.map((f, i) => ` data-fault="${i}" data-status="${f.ok ? 'pass' : 'fail'}"`);
  const cols = ['time', 'action', 'target', 'restarted', 'action result', 'impact', 'first error after', 'recovery', 'outcome'];
  return `<h3>Faults</h3>${table(cols, rows, attrs)}`;
}

function windowsTable(result: ResultFile, a: Availability): string {
  if (a.windows.length === 0) return '<h3>Outage windows</h3><p>None: clients saw the cluster available throughout.</p>';
  const rows = a.windows.map((w) => {
    const fault = w.fault === null ? undefined : result.faults?.[w.fault];
    return [h(`${atS(w.startS)} – ${atS(w.endS)}`), h(secs(w.endS - w.startS)), h(w.signals.join(', ')), h(fault ? faultLabel(fault) : 'none known'), h(compact(w.failedStarts)), h(codesText(w.errorsByCode) || '—')];
  });
  const attrs = a.windows.map((w) => ` class="outage-row" data-start-s="${h(w.startS)}" data-end-s="${h(w.endS)}"`);
  return `<h3>Outage windows</h3>${table(['from – to', 'duration', 'signals', 'after fault', 'failed starts', 'by code'], rows, attrs)}`;
}

function figuresTable(a: Availability): string {
  const rows = availabilityFigures(a).map(([k, v]) => {
    // Lost work is the one figure that must be 0: anything else is red.
    const value = k === 'lost work' ? `<span class="lost-work ${a.lostWork > 0 ? 'bad' : 'ok'}" data-lost-work="${h(a.lostWork)}">${h(v)}</span>` : h(v);
    return [h(k), value];
  });
  return table(['', ''], rows);
}

export function availabilitySection(model: ReportModel): string {
  const r = model.result;
  if (!hasAvailability(r)) return '';
  const a = r.availability;
  const parts = [a ? figuresTable(a) : '<p class="muted">No availability analysis in result.json.</p>', r.faults?.length ? faultsTable(r.faults, a) : '', a ? windowsTable(r, a) : ''];
  return `<section id="availability"><h2>Availability</h2>${parts.join('\n')}</section>`;
}
