// report.html read back in a real browser (headless Chromium): real runs of the HESA example (with
// a retry and the error-report branch) and of a matrix that fails, and `flow report` over runs.
import { execa } from 'execa';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, openPage } from '../helpers/browser.js';
import { flow, type ExampleRun } from '../helpers/example-run.js';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';

let tmp: string;
let hesa: ExampleRun;
let hesaP2: ExampleRun;
let demo: ExampleRun;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flow-report-page-'));
  const runs = join(tmp, 'runs');
  const work = ['-p', `workdir=${join(tmp, 'work')}`];
  // One at a time: the machine has two cores.
  hesa = await flow(['run', 'workflows/hesa-return.yml', '-p', 'inject_errors=true', '-p', 'flaky_failures=1', ...work], runs);
  hesaP2 = await flow(['run', 'workflows/hesa-return.yml', '-p', 'period=P2', ...work], runs);
  demo = await flow(['run', join(fixturesDir, 'report', 'wf.yml')], runs);
}, 240_000);

afterAll(async () => {
  await closeBrowser();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

const report = (r: ExampleRun) => join(r.run.runDir, 'report.html');

describe('report.html of a run', () => {
  it('HESA: renders with no console error and no request; every node is in the DAG with its status; the gallery shows the chart', async () => {
    expect(hesa.exitCode, hesa.stdout).toBe(0);
    const { page, errors, requests, close } = await openPage(report(hesa));
    try {
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      for (const [id, node] of Object.entries(hesa.run.nodes)) {
        const g = page.locator(`#dag svg g#node-${id}`);
        await expect(g.count(), id).resolves.toBe(1);
        expect(await g.getAttribute('class'), id).toContain(`status-${node.status}`);
        expect(await g.textContent(), id).toContain(node.status);
      }
      // The branch edge says what was decided, and on which value.
      const chosen = page.locator('#dag svg g.branch-chosen');
      expect(await chosen.textContent()).toContain('outputs.errors > 0');
      expect(await page.locator('#dag svg g#node-build_xml').textContent()).toContain('validate chose error_report');
      // The error report's chart: a PNG from the cell tagged `report`, said to come from error_report.
      const figure = page.locator('figure.gallery-item[data-node="error_report"]:has(img)');
      await expect(figure.count()).resolves.toBe(1);
      const size = await figure.locator('img').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
      expect(size[0]).toBeGreaterThan(200);
      expect(await figure.locator('figcaption').textContent()).toMatch(/error_report, cell \d+: a cell tagged report/);
      // The retried node: two attempts in its section and on the timeline.
      const flaky = page.locator('#n-load_reference_data table.attempts tr');
      await expect(flaky.count()).resolves.toBe(3);
      expect(await page.locator('#timeline-chart svg').textContent()).toContain('retry wait');
      // The secret salt is *** in the params, as in run.json.
      expect(await page.locator('#params').textContent()).toContain('"***"');
      await page.screenshot({ path: join(tmp, 'hesa-report.png'), fullPage: true });
      expect(statSync(join(tmp, 'hesa-report.png')).size).toBeGreaterThan(50_000);
    } finally {
      await close();
    }
  });

  it('is one self-contained file: the page names no remote script, style, font or image', () => {
    const html = readFileSync(report(hesa), 'utf8');
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
  });

  it('a matrix and a failure: instances × outputs, a chart over the numeric key, the error with its cell and traceback', async () => {
    expect(demo.exitCode, demo.stdout).toBe(1);
    const { page, errors, requests, close } = await openPage(report(demo));
    try {
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      const rows = page.locator('table.matrix[data-node="experiment"] tr');
      await expect(rows.count()).resolves.toBe(5); // a header and 4 instances
      expect(await rows.nth(3).textContent()).toContain('5'); // coef 2.0 → score 5.0
      const chart = page.locator('.matrix-chart[data-output="score"] svg');
      await expect(chart.count()).resolves.toBe(1);
      expect(await chart.textContent()).toContain('coef');
      await expect(page.locator('.matrix-chart[data-output="label"]').count()).resolves.toBe(0);
      // The decision node chose `broken` on the scores it read, and broken failed.
      expect(await page.locator('#n-decide .decision').textContent()).toContain('Chose broken');
      const broken = page.locator('#n-broken');
      expect(await broken.getAttribute('open')).not.toBeNull();
      expect(await broken.locator('.error strong').textContent()).toBe('ValueError: threshold 5.0 is over the limit');
      expect(await broken.locator('pre.cell-source').textContent()).toContain("raise ValueError(f'threshold {threshold}");
      const tb = await broken.locator('pre.traceback').textContent();
      expect(tb).toContain('ValueError');
      expect(tb).not.toContain('\u001b[');
      expect(await broken.locator('a.notebook').getAttribute('href')).toBe('broken.ipynb');
      // The gallery: the report-tagged HTML output of each instance.
      await expect(page.locator('figure.gallery-item[data-node="experiment"]').count()).resolves.toBe(4);
    } finally {
      await close();
    }
  });

  it('flow report writes it again, renders the notebooks it links with nbconvert, and links resolve', async () => {
    const dir = demo.run.runDir;
    unlinkSync(report(demo));
    const r = await execa('node', [cliPath, 'report', dir], { cwd: repoRoot, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(`report: ${report(demo)}`);
    const html = readFileSync(report(demo), 'utf8');
    for (const m of html.matchAll(/class="notebook-html" href="([^"]+)"/g)) {
      expect(existsSync(join(dir, decodeURI(m[1]!))), m[1]).toBe(true);
    }
    expect(readFileSync(join(dir, 'html', 'broken.html'), 'utf8')).toContain('ValueError');
  });
});

describe('flow report over several runs', () => {
  it('compares the same nodes side by side, with the params that differ and a chart per numeric output', async () => {
    const out = join(tmp, 'compare.html');
    const r = await execa('node', [cliPath, 'report', hesa.run.runId, hesaP2.run.runId, '-o', out, '--runs-dir', join(tmp, 'runs')], {
      cwd: repoRoot,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const { page, errors, requests, close } = await openPage(out);
    try {
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(await page.locator('#runs-table').textContent()).toMatch(/params\.period.*"P1".*"P2"/s);
      const validate = page.locator('#compare-nodes tr[data-node="validate"] td');
      await expect(validate.count()).resolves.toBe(2);
      expect(await validate.nth(0).textContent()).toContain('succeeded');
      expect(await page.locator('#compare-nodes tr[data-node="error_report"] td').nth(1).textContent()).toContain('skipped');
      await expect(page.locator('.compare-chart[data-output="validate.errors"] svg').count()).resolves.toBe(1);
    } finally {
      await close();
    }
  });
});

describe('a report of a run that is incomplete', () => {
  it('says flow was killed, names a notebook it cannot read, and is rebuilt from events without run.json', async () => {
    const dir = join(tmp, 'half');
    mkdirSync(dir);
    for (const f of ['run.json', 'events.ndjson', 'generate.ipynb', 'extract.ipynb'])
      copyFileSync(join(hesaP2.run.runDir, f), join(dir, f));
    // The record names its notebooks by absolute path: here, the copies.
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8').split(hesaP2.run.runDir).join(dir));
    // As a SIGKILL leaves it: still running, by a process that is gone.
    writeFileSync(
      join(dir, 'run.json'),
      JSON.stringify({ ...record, runDir: dir, status: 'running', pid: 2 ** 22 + 4321, finishedAt: undefined }),
    );
    writeFileSync(join(dir, 'extract.ipynb'), '{"cells": [');
    const r = await execa('node', [cliPath, 'report', dir, '--no-notebook-html'], { cwd: repoRoot, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('flow was stopped before the run ended');
    expect(r.stderr).toMatch(/the notebook of extract could not be read/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain(`flow resume ${record.runId}`);

    unlinkSync(join(dir, 'run.json'));
    const again = await execa('node', [cliPath, 'report', dir, '--no-notebook-html'], { cwd: repoRoot, reject: false });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('rebuilt from events.ndjson');
    const { page, errors, close } = await openPage(join(dir, 'report.html'));
    try {
      expect(errors).toEqual([]);
      await expect(page.locator('#dag svg g#node-validate').count()).resolves.toBe(1);
    } finally {
      await close();
    }

    const none = await execa('node', [cliPath, 'report', join(tmp, 'no-such-run')], { cwd: repoRoot, reject: false });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).not.toMatch(/\n\s+at /);
  });
});
