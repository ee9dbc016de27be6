/**
 * A minimal YAML emitter for the configs this project generates (server config, dynamic config,
 * Prometheus config). Strings are JSON-quoted, which YAML reads as the same string, so no value can
 * break the document's structure.
 */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue | undefined };

function scalar(value: string | number | boolean | null): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function isScalar(value: YamlValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

function emit(value: YamlValue, indent: string): string[] {
  if (isScalar(value)) return [scalar(value)];
  const lines: string[] = [];
  if (Array.isArray(value)) {
    if (value.length === 0) return ['[]'];
    for (const item of value) {
      if (isScalar(item)) {
        lines.push(`${indent}- ${scalar(item)}`);
        continue;
      }
      const inner = emit(item, `${indent}  `);
      // Put the first key of a mapping on the dash line, as hand-written YAML does.
      lines.push(`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
    }
    return lines;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined) as [string, YamlValue][];
  if (entries.length === 0) return ['{}'];
  for (const [key, item] of entries) {
    const name = /^[A-Za-z_][\w.-]*$/.test(key) ? key : JSON.stringify(key);
    if (isScalar(item) || (Array.isArray(item) && item.length === 0) || (!Array.isArray(item) && Object.keys(item).length === 0)) {
      lines.push(`${indent}${name}: ${emit(item, indent)[0]}`);
    } else {
      lines.push(`${indent}${name}:`, ...emit(item, `${indent}  `));
    }
  }
  return lines;
}

export function toYaml(value: YamlValue, header?: string): string {
  const body = emit(value, '').join('\n');
  return `${header ? `${header.replace(/^/gm, '# ')}\n` : ''}${body}\n`;
}
