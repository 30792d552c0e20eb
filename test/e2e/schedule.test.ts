// A real `flow schedule` with a per-second trigger on a real kernel: it fires, passes the logical
// date into the notebook, refuses a second scheduler on its store, and stops on SIGTERM with
// nothing left running.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';
import { formatProcesses, waitForNoJupyter } from '../helpers/processes.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'flow-schedule-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

const wf = join(fixturesDir, 'schedule', 'wf.yml');

/** Resolves once `text` matches `re` `count` times (or rejects when the process ends first). */
function waitFor(proc: ReturnType<typeof execa>, out: () => string, re: RegExp, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if ((out().match(new RegExp(re.source, 'gm')) ?? []).length >= count) {
        proc.stdout?.off('data', check);
        resolve();
      }
    };
    proc.stdout?.on('data', check);
    proc.then(
      () => reject(new Error(`flow schedule ended first:\n${out()}`)),
      (e: unknown) => reject(new Error(`flow schedule failed: ${String(e)}\n${out()}`)),
    );
    check();
  });
}

describe('flow schedule', () => {
  it('fires a per-second trigger twice, with the logical date in the notebook; refuses a second scheduler; stops on SIGTERM', async () => {
    const runs = join(tmp, 'runs');
    const proc = execa('node', [cliPath, 'schedule', wf, '--runs-dir', runs, '--grace', '30s'], {
      cwd: repoRoot,
      reject: false,
      env: { NO_COLOR: '1' },
      // flow gives a run still going 30 s after SIGTERM: execa must not SIGKILL it after its
      // default 5 s (a run that had just started, on a loaded machine, took longer: a flaky test).
      forceKillAfterDelay: false,
    });
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(proc, () => out, /end run \S+ succeeded/, 2);

    // A second scheduler on the same store is refused, naming the first.
    const second = await execa('node', [cliPath, 'schedule', wf, '--runs-dir', runs], { cwd: repoRoot, reject: false });
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain(`another flow schedule (pid ${proc.pid}`);

    proc.kill('SIGTERM');
    const result = await proc;
    expect(result.exitCode, `${out}\nsignal: ${String(result.signal)}\nstderr: ${result.stderr}`).toBe(0);
    expect(out).toMatch(/SIGTERM: no new runs/);
    expect(out).toMatch(/flow schedule stopped$/m);
    // Runs that overlapped one still going were skipped (overlap: skip), each said once.
    expect(out).toMatch(/ticker\[every-second\] fire \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z/);
    const left = await waitForNoJupyter(proc.pid!, 5000);
    expect(left, formatProcesses(left)).toEqual([]);

    // Each run: triggered by the schedule, for a whole second, which the notebook was given.
    const dirs = readdirSync(join(runs, 'ticker')).map((d) => join(runs, 'ticker', d));
    expect(dirs.length).toBeGreaterThanOrEqual(2);
    for (const dir of dirs) {
      const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
      if (run.status !== 'succeeded') continue;
      expect(run.trigger).toBe('schedule');
      expect(run.logicalDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(run.lineageId).toBe(run.runId);
      expect(run.params.label).toBe('scheduled');
      expect(run.nodes.tick.outputs).toEqual({ logical: run.logicalDate, trigger: 'schedule', label: 'scheduled' });
      const nb = readFileSync(join(dir, 'tick.ipynb'), 'utf8');
      expect(nb).toContain(`logical = \\"${run.logicalDate}\\"`);
    }
    const logical = dirs.map((d) => JSON.parse(readFileSync(join(d, 'run.json'), 'utf8')).logicalDate);
    expect(new Set(logical).size).toBe(logical.length); // no logical time twice

    // What it did, and what runs says about them.
    const status = await execa('node', [cliPath, 'schedule', '--status', wf, '--runs-dir', runs], { cwd: repoRoot });
    expect(status.stdout).toMatch(/^ticker\[every-second\] {2}last \S+ (finished run \S+ succeeded|skipped)/m);
    const list = await execa('node', [cliPath, 'runs', '--runs-dir', runs], { cwd: repoRoot });
    expect(list.stdout).toMatch(/schedule for \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);
  }, 120_000);

  it('--next prints the next fire times with the params and vars each run would get; --install prints a unit', async () => {
    const next = await execa('node', [cliPath, 'schedule', '--next', '3', join(repoRoot, 'workflows', 'hesa-return.yml')], {
      cwd: repoRoot,
    });
    const lines = next.stdout.split('\n');
    expect(lines[0]).toBe('hesa-return[month-end]  0 6 L * *  (Europe/London; catchup latest, overlap queue)');
    expect(lines).toHaveLength(4);
    for (const l of lines.slice(1)) {
      expect(l).toMatch(
        /^ {2}\d{4}-\d\d-\d\dT0[56]:00:00\.000Z {2}.*period="auto".*salt="\*\*\*".*vars\.period="P[123]" vars\.year=20\d\d$/,
      );
    }
    const unit = await execa('node', [cliPath, 'schedule', '--install', 'systemd', join(repoRoot, 'workflows', 'hesa-return.yml')], {
      cwd: repoRoot,
    });
    expect(unit.stdout).toMatch(/^ExecStart=.*cli\/main\.js schedule .*workflows\/hesa-return\.yml --runs-dir .* --grace 5m$/m);
    expect(unit.stdout).toContain('KillSignal=SIGTERM');
    const cron = await execa('node', [cliPath, 'schedule', '--install', 'cron', join(repoRoot, 'workflows', 'hesa-return.yml')], {
      cwd: repoRoot,
    });
    expect(cron.stdout).toMatch(/^@reboot cd .* schedule .*hesa-return\.yml/m);
  });

  it('flow run --logical-date sets run.logical_date, and the HESA return takes its period and year from it', async () => {
    const r = await execa(
      'node',
      [
        cliPath,
        'run',
        join(repoRoot, 'workflows', 'hesa-return.yml'),
        '--dry-run',
        '-p',
        'period=auto',
        '--logical-date',
        '2027-01-31T06:00Z',
      ],
      { cwd: repoRoot, reject: false },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('period = "P2"');
    expect(r.stdout).toContain('year = 2026');
    const bad = await execa('node', [cliPath, 'run', wf, '--logical-date', 'yesterday'], { cwd: repoRoot, reject: false });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--logical-date yesterday: not a date and time');
  });

  it('a resumed run keeps the logical date and the lineage of the run it repairs, with trigger resume', async () => {
    const runs = join(tmp, 'resume-runs');
    const demo = join(fixturesDir, 'report', 'wf.yml'); // fails: the decision node chooses `broken`
    const first = await execa(
      'node',
      [cliPath, 'run', demo, '--logical-date', '2027-01-31T06:00Z', '--reporter', 'plain', '--runs-dir', runs],
      {
        cwd: repoRoot,
        reject: false,
      },
    );
    expect(first.exitCode).toBe(1);
    const firstDir = /^run directory: (.+)$/m.exec(first.stdout)![1]!;
    const before = JSON.parse(readFileSync(join(firstDir, 'run.json'), 'utf8'));
    expect(before).toMatchObject({ trigger: 'manual', logicalDate: '2027-01-31T06:00:00.000Z', lineageId: before.runId });
    const again = await execa('node', [cliPath, 'resume', before.runId, '--reporter', 'plain', '--runs-dir', runs], {
      cwd: repoRoot,
      reject: false,
    });
    const againDir = /^run directory: (.+)$/m.exec(again.stdout)![1]!;
    const after = JSON.parse(readFileSync(join(againDir, 'run.json'), 'utf8'));
    expect(after).toMatchObject({
      trigger: 'resume',
      logicalDate: '2027-01-31T06:00:00.000Z',
      lineageId: before.runId,
      resumedFrom: before.runId,
    });
  }, 120_000);
});
