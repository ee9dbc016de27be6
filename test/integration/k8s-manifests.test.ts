import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureK8sValidator, validateManifests } from '../helpers/k8s-validate.js';
import { runCommand } from '../../stack/processes.js';
import { repoRoot } from '../helpers/test-stack.js';

// No Temporal stack needed; this lives in integration because it builds a Go program (minutes on a
// cold Go build cache, then cached under <cacheDir>/bin/k8s-validate/).

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-k8s-manifests-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  await ensureK8sValidator();
}, 600_000);

function manifest(name: string, yaml: string): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, yaml);
  return file;
}

/** Exit 1, and every expected problem on a line of its own that starts with the file and document. */
async function expectProblems(file: string, problems: Array<[doc: string, message: string]>): Promise<string[]> {
  const result = await validateManifests([file]);
  expect(result.code, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  for (const [doc, message] of problems) {
    expect(lines).toContainEqual(`${file}: ${doc}: ${message}`);
  }
  return lines;
}

const podSpec = `
      restartPolicy: Never
      containers:
        - name: main
          image: busybox:1.36`;

describe('deploy/k8s manifests', () => {
  it('validate against the Kubernetes and Prometheus Operator API types', async () => {
    const dir = path.join(repoRoot, 'deploy', 'k8s');
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => path.join(dir, f));
    expect(files.length).toBeGreaterThan(0);
    const result = await validateManifests(files);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^ok: [1-9]\\d* documents in ${files.length} files\\n$`));
  });
});

describe('k8s-validate rejects what the API server would reject', () => {
  it('an unknown field in a container, named with its path', async () => {
    const file = manifest(
      'deployment.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata: { name: bad-worker }
spec:
  selector: { matchLabels: { app: w } }
  template:
    metadata: { labels: { app: w } }
    spec:
      containers:
        - name: worker
          image: busybox:1.36
          imagePullPolicyy: IfNotPresent
`,
    );
    await expectProblems(file, [['document 1 (Deployment/bad-worker)', 'unknown field "spec.template.spec.containers[0].imagePullPolicyy"']]);
  });

  it('a string where the API wants an integer (Service port)', async () => {
    const file = manifest(
      'service.yaml',
      `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports:
    - { name: http, port: "eighty", targetPort: http }
`,
    );
    await expectProblems(file, [['document 1 (Service/web)', 'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32']]);
  });

  it('a number where the API wants a string (CronJob schedule)', async () => {
    // sigs.k8s.io/yaml.UnmarshalStrict alone accepts this: it converts YAML scalars to the Go field's
    // type and decodes `schedule: 5` as "5". kubectl sends the number as JSON and the API server
    // rejects it, so k8s-validate also decodes the document as the server does, and fails.
    const file = manifest(
      'cronjob.yaml',
      `apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly }
spec:
  schedule: 5
  jobTemplate:
    spec:
      template:
        spec:${podSpec}
`,
    );
    await expectProblems(file, [['document 1 (CronJob/nightly)', 'json: cannot unmarshal number into Go struct field CronJobSpec.spec.schedule of type string']]);
  });

  it('a number in an env value and a field name in the wrong case', async () => {
    const file = manifest(
      'pod.yaml',
      `apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers:
    - name: main
      image: busybox:1.36
      imagepullpolicy: Always
---
apiVersion: v1
kind: Pod
metadata: { name: q }
spec:
  containers:
    - name: main
      image: busybox:1.36
      env: [{ name: PORT, value: 8080 }]
`,
    );
    await expectProblems(file, [
      ['document 1 (Pod/p)', 'unknown field "spec.containers[0].imagepullpolicy"'],
      ['document 2 (Pod/q)', 'json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string'],
    ]);
  });

  it('an unknown kind or apiVersion (nothing passes unchecked)', async () => {
    const file = manifest(
      'unknown.yaml',
      `apiVersion: v1
kind: Deploymnet
metadata: { name: typo }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: { name: old }
`,
    );
    const lines = await expectProblems(file, []);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${escapeRegExp(file)}: document 1 \\(Deploymnet/typo\\): unknown kind "Deploymnet" in apiVersion "v1" \\(known: .*\\bService\\b`));
    expect(lines[1]).toMatch(new RegExp(`^${escapeRegExp(file)}: document 2 \\(Widget/w\\): unknown apiVersion "example.com/v1"`));
    expect(lines[2]).toMatch(new RegExp(`^${escapeRegExp(file)}: document 3 \\(Deployment/old\\): unknown apiVersion "extensions/v1beta1"`));
  });

  it('a missing metadata.name and a duplicate key; empty documents are skipped, not counted', async () => {
    const file = manifest(
      'names.yaml',
      `---
# only a comment
---
apiVersion: v1
kind: ConfigMap
metadata: { namespace: x }
data: { a: "1" }
---
---
apiVersion: v1
kind: ConfigMap
metadata: { name: cm }
data: { a: "1", a: "2" }
`,
    );
    const lines = await expectProblems(file, [['document 1 (ConfigMap)', 'metadata.name is required']]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${escapeRegExp(file)}: document 2: .*key "a" already set in map`));
  });
});

describe('k8s-validate accepts valid manifests', () => {
  it('an indexed Job with parallelism', async () => {
    const file = manifest(
      'job.yaml',
      `apiVersion: batch/v1
kind: Job
metadata: { name: indexed, namespace: temporal-bench }
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 3
  template:
    spec:${podSpec}
`,
    );
    const result = await validateManifests([file]);
    expect({ code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({ code: 0, stderr: '', stdout: 'ok: 1 documents in 1 files\n' });
  });

  it('int-or-string fields as either, quantities as numbers, and a status section', async () => {
    const file = manifest(
      'mixed.yaml',
      `apiVersion: v1
kind: Service
metadata: { name: s }
spec:
  ports:
    - { name: a, port: 80, targetPort: 8080 }
    - { name: b, port: 81, targetPort: http }
status:
  loadBalancer: { ingress: [{ ip: 10.0.0.1 }] }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: pdb }
spec:
  maxUnavailable: 25%
  selector: { matchLabels: { app: w } }
---
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers:
    - name: main
      image: busybox:1.36
      resources: { requests: { cpu: 0.5, memory: 64Mi }, limits: { cpu: 2 } }
`,
    );
    const result = await validateManifests([file]);
    expect({ code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({ code: 0, stderr: '', stdout: 'ok: 3 documents in 1 files\n' });
  });
});

describe('k8s-validate usage', () => {
  it('exits 2 without files or with a missing file', async () => {
    const bin = await ensureK8sValidator();
    const none = await runCommand(bin, []);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^usage: k8s-validate FILE\.\.\./);
    const missing = path.join(scratch, 'missing.yaml');
    const result = await runCommand(bin, [missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(missing);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
