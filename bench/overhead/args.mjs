// `--name value` from argv, with a fallback; a missing required flag exits 2 with its name.
export function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? process.argv[i + 1] : undefined;
  if (value !== undefined) return value;
  if (fallback !== undefined) return fallback;
  process.stderr.write(`${process.argv[1]?.split('/').pop()}: --${name} is required\n`);
  process.exit(2);
}
