/** What the page's inline chart code draws: plain data, built on the server side, drawn client side. */
export interface ChartSeries {
  name: string;
  y: (number | null)[];
  /** Per-series x when series do not share one (spectrum, server series with gaps). */
  x?: number[];
  dashed?: boolean;
  /** A dot per point with its hover text (runs on a history chart); `hollow` marks a point that does not count. */
  points?: { title: string; hollow?: boolean }[];
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  /**
   * time: seconds since the run's start; rate: starts per second; spectrum: 1/(1−p), drawn on a log
   * axis; run: the index of a run in a history, labelled by `xLabels`.
   */
  xKind: 'time' | 'rate' | 'spectrum' | 'run';
  x?: number[];
  /** The label of each whole x on a `run` axis (a run's date). */
  xLabels?: string[];
  series: ChartSeries[];
  /** Shaded spans (non-steady phases), in x units. */
  bands?: { from: number; to: number; label: string }[];
  /** Outage windows (time charts): drawn as red bands, `rect.outage-window[data-start-s][data-end-s]`. */
  outages?: { from: number; to: number; label: string }[];
  /**
   * Vertical labelled lines: injected faults and their restarts on time charts (`.fault-marker[data-kind]`),
   * notes such as each capacity step's top CPU consumers on a rate axis (`.step-marker`), change points
   * between runs of a history (`.change-point`); `title` replaces the hover text "label at x".
   */
  markers?: { x: number; label: string; kind: 'fault' | 'restart' | 'note' | 'change'; title?: string }[];
  /** Horizontal reference lines, e.g. thresholds. */
  refLines?: { y: number; label: string }[];
  yLog?: boolean;
  /** Series are drawn as areas on top of each other (shares of a total, e.g. CPU by component); they share `x`. */
  stacked?: boolean;
  /** Shown under the title, e.g. the rate window of a server panel. */
  subtitle?: string;
  note?: string;
  /** Missing/error charts draw a message instead of lines; never a zero line. */
  status?: 'ok' | 'missing' | 'error';
  message?: string;
}

export interface ChartSection {
  id: string;
  title: string;
  charts: ChartSpec[];
  /** Shown above the charts, e.g. a run too short for the server rate window. */
  warning?: string;
}

/** Rounds to 4 significant digits: the page carries thousands of numbers and needs no more. */
export function round(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  if (value === 0) return 0;
  const magnitude = 10 ** (3 - Math.floor(Math.log10(Math.abs(value))));
  return Math.round(value * magnitude) / magnitude;
}
