/**
 * The alert files `bench alerts` writes: alerts.yaml (a PrometheusRule for the Prometheus Operator),
 * alerts.rules.yml (the same group as a plain rule file, for Prometheus' rule_files and promtool) and
 * alerts.test.yml (promtool unit tests: each rule fires on its synthetic input and stays quiet on the other).
 */
import fs from 'node:fs';
import path from 'node:path';
import { toYaml, type YamlValue } from '../stack/yaml.js';
import type { Measured } from './measured.js';
import type { AlertOptions, AlertRule, SkippedAlert } from './alert-rules.js';

export const alertFiles = { prometheusRule: 'alerts.yaml', ruleFile: 'alerts.rules.yml', promtoolTest: 'alerts.test.yml' } as const;

export interface RuleMeta {
  /** metadata.name of the PrometheusRule. */
  name: string;
  /** Kubernetes namespace of the PrometheusRule. */
  namespace: string;
  /** Labels the Operator's ruleSelector matches on (e.g. release=prometheus). */
  labels: Record<string, string>;
}

function group(m: Measured, rules: AlertRule[]): YamlValue {
  return {
    name: `temporal-bench-${m.kind}-${m.id}`,
    rules: rules.map((r) => ({ alert: r.alert, expr: r.expr, for: r.for, labels: { ...r.labels }, annotations: { ...r.annotations } })),
  };
}

function header(m: Measured, skipped: SkippedAlert[], o: AlertOptions): string {
  return [`Alerts set from what temporal-bench measured (${m.kind} ${m.id}, namespace ${m.namespace}); for ${o.for}, rate window ${o.rateWindow}.`, ...skipped.map((s) => `Not set: ${s.alert}: ${s.why}.`)].join('\n');
}

export function prometheusRule(m: Measured, rules: AlertRule[], skipped: SkippedAlert[], o: AlertOptions, meta: RuleMeta): string {
  const doc: YamlValue = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: meta.name, namespace: meta.namespace, labels: { 'app.kubernetes.io/name': 'temporal-bench', ...meta.labels } },
    spec: { groups: [group(m, rules)] },
  };
  return toYaml(doc, header(m, skipped, o));
}

export function ruleFile(m: Measured, rules: AlertRule[], skipped: SkippedAlert[], o: AlertOptions): string {
  return toYaml({ groups: [group(m, rules)] }, header(m, skipped, o));
}

const unitS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds of a Prometheus duration such as 1h30m (already checked by promDurationArg). */
export function durationSeconds(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * unitS[unit!]!;
  return total;
}

/**
 * One promtool test per rule and input. Samples come often enough for four in every rate window (at
 * most a minute apart), and each test is evaluated once the window and the `for` have passed with a
 * margin: the firing input expects exactly this alert with its labels and annotations, the quiet one none.
 */
export function promtoolTests(rules: AlertRule[], o: AlertOptions): string {
  const intervalS = Math.max(1, Math.min(60, Math.floor(durationSeconds(o.rateWindow) / 4)));
  const evalS = Math.ceil((durationSeconds(o.for) + durationSeconds(o.rateWindow)) / intervalS + 4) * intervalS;
  const samples = Math.ceil(evalS / intervalS) + 2;
  const step = (perSecond: number) => Math.round(perSecond * intervalS * 1000) / 1000;
  const tests = rules.flatMap((r) =>
    (['fire', 'quiet'] as const).map((kind) => ({
      name: `${r.alert} ${kind === 'fire' ? 'fires' : 'stays quiet'}`,
      interval: `${intervalS}s`,
      input_series: r.probe[kind].map((s) => ({ series: s.series, values: `0+${step(s.perSecond)}x${samples}` })),
      alert_rule_test: [
        {
          eval_time: `${evalS}s`,
          alertname: r.alert,
          exp_alerts: kind === 'fire' ? [{ exp_labels: { ...r.labels, ...r.probe.firingLabels }, exp_annotations: { ...r.annotations } }] : [],
        },
      ],
    })),
  );
  return toYaml({ rule_files: [alertFiles.ruleFile], evaluation_interval: `${intervalS}s`, tests } as YamlValue, 'promtool test rules alerts.test.yml (beside alerts.rules.yml)');
}

/** Writes the three files into `dir`; returns their paths. */
export function writeAlerts(dir: string, m: Measured, rules: AlertRule[], skipped: SkippedAlert[], o: AlertOptions, meta: RuleMeta): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    [alertFiles.prometheusRule, prometheusRule(m, rules, skipped, o, meta)],
    [alertFiles.ruleFile, ruleFile(m, rules, skipped, o)],
    [alertFiles.promtoolTest, promtoolTests(rules, o)],
  ];
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
    return file;
  });
}
