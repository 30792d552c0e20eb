// The run directory made read-only or deleted while a node runs (issue 19): flow ends with exit 1
// and an error naming the folder and what to do, no stack trace, stops its Jupyter server and
// kernels, and does not hang. A read-only run keeps a readable run.json, and `flow resume`
// repairs it once the folder is writable again.
import { execaSync, type ResultPromise } from 'execa';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSandbox, readRun, statuses, waitForFile, type Sandbox } from '../fixtures/e2e/harness.js';
import { formatProcesses, jupyterProcesses, waitForNoJupyter } from '../helpers/processes.js';

/** How long flow may take to end once the node is released: a bound against a hang, not a timing. */
const END_WITHIN_MS = 60_000;
const stackTrace = /\n\s+at |internal error/;

const boxes: Sandbox[] = [];
const mounts: string[] = [];
const flowPids: number[] = [];

afterAll(async () => {
  // Unmount first (lazily: a flow still running holds files there), every layer, so that the
  // sandbox's folder can be deleted.
  for (const dir of mounts) {
    while (execaSync('mountpoint', ['-q', dir], { reject: false }).exitCode === 0) {
      if (execaSync('umount', ['-l', dir], { reject: false }).exitCode !== 0) break;
    }
  }
  for (const box of boxes) {
    await box.cleanup().catch(() => undefined);
    rmSync(box.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
  // A failed test may have left a server or kernel behind: do not let it outlive the test.
  for (const pid of flowPids) for (const p of jupyterProcesses(pid)) process.kill(p.pid, 'SIGKILL');
});

function sandbox(): Sandbox {
  const box = makeSandbox();
  boxes.push(box);
  return box;
}

/** `flow run run-dir-gone.yml` in `box`, with its output as it comes (for a hang's diagnosis). */
function startRun(box: Sandbox): { proc: ResultPromise<{ reject: false; all: true }>; seen: () => string } {
  const proc = box.flow(['run', box.workflow('run-dir-gone'), '-p', `dir=${box.dir}`]);
  flowPids.push(proc.pid!);
  let out = '';
  proc.all?.on('data', (d: Buffer) => (out += d.toString()));
  return { proc, seen: () => out };
}

/** flow's result, or a failure saying what it printed and what still runs when it has not ended. */
async function ended(proc: ResultPromise<{ reject: false; all: true }>, seen: () => string) {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((res) => (timer = setTimeout(() => res('hung'), END_WITHIN_MS)));
  const r = await Promise.race([proc, hung]);
  clearTimeout(timer);
  if (r === 'hung') {
    const pid = proc.pid!;
    const wchan = (() => {
      try {
        return readFileSync(`/proc/${pid}/wchan`, 'utf8');
      } catch {
        return '?';
      }
    })();
    expect.fail(
      `flow (pid ${pid}, wchan ${wchan}) had not ended ${END_WITHIN_MS / 1000}s after the node was released; ` +
        `its output:\n${seen()}\nits Jupyter processes:\n${formatProcesses(jupyterProcesses(pid))}`,
    );
  }
  return r;
}

describe('the run directory gone mid-run (run-dir-gone.yml)', () => {
  it('made read-only: exit 1 naming the folder and what to do, nothing left running; run.json readable; resume repairs it', async () => {
    const box = sandbox();
    // The runs folder is a tmpfs of its own. A `mount -o remount,ro` of it is refused (EBUSY)
    // while flow holds events.ndjson open for appending, so the folder is made read-only the
    // way an administrator would with files open: a read-only bind mount of it over itself.
    // Every path flow opens from then on is read-only (EROFS); its open descriptors stay writable.
    mkdirSync(box.runsDir);
    execaSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', box.runsDir]);
    mounts.push(box.runsDir);

    const { proc, seen } = startRun(box);
    await waitForFile(join(box.dir, 'hold.started'), proc);
    const [runDir, ...more] = box.runDirs('run-dir-gone');
    expect(more).toEqual([]);
    const runId = readRun(runDir!).runId;

    execaSync('mount', ['--bind', '-o', 'ro', box.runsDir, box.runsDir]);
    expect(() => writeFileSync(join(runDir!, 'probe'), '')).toThrow(/EROFS/);
    writeFileSync(join(box.dir, 'release'), '');

    const r = await ended(proc, seen);
    const output = String(r.all);
    expect(r.exitCode, output).toBe(1);
    expect(r.stderr).toContain(
      `error: the run's record in ${runDir} could not be written (EROFS: it may not be written to); its run.json holds the run as it was last written`,
    );
    expect(r.stderr).toContain(`make room (or give write access), then \`flow resume ${runId}\` repairs the run`);
    expect(output).not.toMatch(stackTrace);
    const left = await waitForNoJupyter(proc.pid!, 5000);
    expect(left, formatProcesses(left)).toEqual([]);

    // Writable again (the read-only layer removed): run.json is whole JSON, as last written.
    execaSync('umount', [box.runsDir]);
    const record = readRun(runDir!);
    expect(record).toMatchObject({ runId, status: 'running' });

    const again = await box.flow(['resume', runId]);
    expect(again.exitCode, String(again.all)).toBe(0);
    const resumedDir = /^run directory: (.+)$/m.exec(again.stdout)?.[1];
    expect(resumedDir, again.stdout).toBeDefined();
    const repaired = readRun(resumedDir!);
    expect(repaired).toMatchObject({ status: 'succeeded', resumedFrom: runId });
    expect(statuses(repaired)).toEqual({ hold: 'succeeded', after: 'succeeded' });
  }, 180_000);

  it('deleted: exit 1 naming the folder and what to do, no internal error, nothing left running, no hang', async () => {
    const box = sandbox();
    const { proc, seen } = startRun(box);
    await waitForFile(join(box.dir, 'hold.started'), proc);
    const [runDir, ...more] = box.runDirs('run-dir-gone');
    expect(more).toEqual([]);

    rmSync(runDir!, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    writeFileSync(join(box.dir, 'release'), '');

    const r = await ended(proc, seen);
    const output = String(r.all);
    expect(r.exitCode, output).toBe(1);
    expect(r.stderr).toContain(
      `error: the run directory ${runDir} is gone (deleted while the run went on): the run's record and notebooks could not be saved`,
    );
    expect(r.stderr).toContain('start the workflow again with `flow run`');
    expect(output).not.toMatch(stackTrace);
    const left = await waitForNoJupyter(proc.pid!, 5000);
    expect(left, formatProcesses(left)).toEqual([]);

    // What the error says to do works: the workflow runs again from the start.
    writeFileSync(join(box.dir, 'release'), '');
    const again = await box.flow(['run', box.workflow('run-dir-gone'), '-p', `dir=${box.dir}`]);
    expect(again.exitCode, String(again.all)).toBe(0);
  }, 180_000);
});
