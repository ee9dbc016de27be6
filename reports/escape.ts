/**
 * Escaping for every string that reaches an output: scenario names, labels and server error texts
 * are user/cluster controlled and must render as text in HTML, XML and Markdown.
 */

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => htmlEntities[c]!);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` become \u escapes so neither
 * `</script>` nor `<!--` can end or confuse the block; U+2028/9 are escaped for old JS parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** XML 1.0 text/attribute content: escapes markup and drops characters XML cannot carry at all. */
export function escapeXml(value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids
  return escapeHtml(value).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/**
 * One table cell or inline text in GitHub Markdown: GitHub renders inline HTML, so markup is
 * HTML-escaped, and Markdown syntax (emphasis, links, pipes, code) is backslash-escaped.
 */
export function escapeMarkdown(value: unknown): string {
  return escapeHtml(value)
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}
