// The package as a user gets it: packed, installed into a fresh folder, imported by name, and the
// README's example run as written on the HESA workflow.
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

/** The first ```js block after the README's "## As a library" heading. */
function readmeExample(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## As a library'));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README.md has no ```js block under "## As a library"');
  return m[1];
}

describe('the nbflow package, installed in a fresh folder', () => {
  let dir: string;
  const jupyter = { FLOW_JUPYTER: join(repoRoot, '.venv') };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flow-package-'));
    // dist is built by `npm test` before the tests run; packed as npm would publish it.
    const packed = await execa('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: repoRoot });
    const tarball = join(dir, packed.stdout.trim().split('\n').pop()!);
    const app = join(dir, 'app');
    cpSync(join(repoRoot, 'workflows'), join(app, 'workflows'), { recursive: true });
    cpSync(join(repoRoot, 'notebooks'), join(app, 'notebooks'), { recursive: true });
    cpSync(join(repoRoot, 'data'), join(app, 'data'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    await execa('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app });
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('exports the API by name, and nothing of its internals is reachable by path', async () => {
    const app = join(dir, 'app');
    const script = `
      const api = await import('nbflow');
      const names = ['runWorkflow', 'startRun', 'resumeRun', 'startResume', 'loadWorkflow', 'buildPlan', 'connectJupyter',
        'createReporters', 'createPlainReporter', 'createJsonReporter', 'createJunitReporter', 'FlowError', 'WorkflowError'];
      console.log(JSON.stringify(names.filter((n) => typeof api[n] !== 'function')));
      try { await import('nbflow/dist/run/start-run.js'); console.log('reachable'); } catch (e) { console.log(e.code); }
      const { workflow } = await api.loadWorkflow('workflows/hesa-return.yml');
      console.log(api.buildPlan(workflow).order.join(' '));`;
    const r = await execa('node', ['--input-type=module', '-e', script], { cwd: app, env: jupyter });
    const [missing, deep, order] = r.stdout.split('\n');
    expect(JSON.parse(missing!)).toEqual([]);
    expect(deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(order!.split(' ')).toEqual(expect.arrayContaining(['generate', 'validate', 'build_xml', 'summary']));
  });

  it("runs the README's example as written, and its events and record say how the run went", async () => {
    const app = join(dir, 'app');
    writeFileSync(join(app, 'example.mjs'), readmeExample());
    const r = await execa('node', ['example.mjs'], { cwd: app, env: jupyter, reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    for (const node of ['generate', 'load_reference_data', 'extract', 'validate', 'build_xml', 'check_xml', 'summary']) {
      expect(lines).toContain(`${node}: succeeded`);
    }
    expect(lines).toContain('error_report: skipped');
    const runLine = lines.find((l) => l.startsWith('run '))!;
    expect(runLine).toMatch(/^run \S+ succeeded; validate found 0 errors$/);
    const runDir = lines.find((l) => l.startsWith('record and notebooks: '))!.slice('record and notebooks: '.length);
    expect(runDir.startsWith(join(app, 'runs', 'hesa-return'))).toBe(true);
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { status: string; params: Record<string, unknown> };
    expect(record.status).toBe('succeeded');
    expect(record.params).toMatchObject({ period: 'P2', students: 500 });
    // The executed node notebooks. The run's own summary is not one of them: HESA has a node
    // called `summary` (summary.ipynb), so flow's is summary.run.ipynb.
    expect(readdirSync(runDir).filter((f) => f.endsWith('.ipynb') && f !== 'summary.run.ipynb')).toHaveLength(7);
    expect(existsSync(join(runDir, 'summary.run.ipynb'))).toBe(true);
    expect(readFileSync(join(runDir, 'summary.ipynb'), 'utf8')).toContain('"papermill"');
    expect(existsSync(join(runDir, 'events.ndjson'))).toBe(true);
  }, 240_000);
});
