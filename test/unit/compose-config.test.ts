import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderComposeFiles } from '../../stack/compose-config.js';
import { seedNamespaces } from '../../stack/options.js';
import { repoRoot } from '../helpers/test-stack.js';

describe('docker-compose.yml stays consistent with the local stack', () => {
  it.each(Object.entries(renderComposeFiles()))('%s matches what the stack generators produce', (file, text) => {
    expect(fs.readFileSync(path.join(repoRoot, file), 'utf8')).toBe(text);
  });

  it('registers the same namespaces and retention as bench stack up', () => {
    const compose = fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
    const pairs = seedNamespaces.map((n) => `${n.name}:${n.retentionHours}h`).join(' ');
    expect(compose).toContain(`for pair in ${pairs};`);
  });

  it('pins Temporal server 1.24.2 and PostgreSQL 16 like production', () => {
    const compose = fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('image: temporalio/server:1.24.2');
    expect(compose).toContain('image: postgres:16');
  });
});
