// `flow run` where no one watches a terminal (a pipe, CI): plain lines without escapes under
// NO_COLOR, NDJSON alone on stdout with --reporter json, and --junit next to plain output.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';

const workflow = join(fixturesDir, 'terminal', 'live.yml');
const dir = mkdtempSync(join(tmpdir(), 'flow-terminal-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

/** The built CLI through a pipe, as CI runs it; a short pause keeps `load` quick. */
function flow(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [cliPath, 'run', workflow, '--runs-dir', join(dir, 'runs'), '-p', 'pause=0.2', ...args], {
    cwd: repoRoot,
    reject: false,
    env: { CI: 'true', ...env },
  });
}

const ESC = '\u001b';

describe('flow run in CI', () => {
  it('--reporter plain under NO_COLOR: timestamped lines, no escape codes, and --junit written too', async () => {
    const junit = join(dir, 'reports', 'flow.xml');
    const r = await flow(['--reporter', 'plain', '--junit', junit], { NO_COLOR: '1' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(ESC);
    expect(r.stderr).not.toContain(ESC);
    const out = r.stdout.split('\n');
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d terminal-live run \d{8}T\d{6}Z-[0-9a-f]{4} started \(5 nodes\) in \S+$/);
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d\d:\d\d:\d\d ▶ flaky started \(attempt 1\/2\)$/),
        expect.stringMatching(
          /^\d\d:\d\d:\d\d ↻ flaky attempt 1\/2 failed: cell 3 \(In \[3\]\): RuntimeError: flaky: first attempt fails — retrying in 3s$/,
        ),
        expect.stringMatching(/^\d\d:\d\d:\d\d → check chose load because outputs.bad > 0 was false \(outputs.bad=0\)$/),
        expect.stringMatching(/^\d\d:\d\d:\d\d ↷ fix skipped: branch not taken — check chose load because/),
        expect.stringMatching(/^\d\d:\d\d:\d\d ✔ flaky succeeded in \S+ after 2 attempts$/),
        'NODE    STATUS     DURATION  ATTEMPTS  OUTPUTS',
        expect.stringMatching(/^✔ run succeeded in \S+: 4 succeeded, 1 skipped$/),
        expect.stringMatching(/^run directory: \S+$/),
      ]),
    );
    // No live-view residue: spinners, bars and cursor movements belong to the terminal only.
    expect(r.stdout).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏█░]/);

    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="terminal-live" tests="5" failures="0" errors="0" skipped="1"');
    expect(xml).toMatch(
      /<testcase name="fix" classname="terminal-live" time="[\d.]+">\s*<skipped message="branch not taken — check chose load/,
    );
    expect(xml).toMatch(/<testcase name="flaky" classname="terminal-live" time="[\d.]+"\/>/);
  });

  it('--reporter json: every stdout line is one versioned event, and nothing else is on stdout', async () => {
    const r = await flow(['--reporter', 'json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const events = r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { v: number; type: string; [k: string]: unknown });
    expect(new Set(events.map((e) => e.v))).toEqual(new Set([1]));
    expect(events[0]).toMatchObject({ type: 'run_started', workflow: 'terminal-live' });
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', status: 'succeeded', exitCode: 0, counts: { succeeded: 4, skipped: 1 } });
    expect(events).toContainEqual(expect.objectContaining({ type: 'attempt_failed', node: 'flaky', attempt: 1, retryInMs: 3000 }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'branch_decided', node: 'check', chose: 'load' }));
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'node_output', node: 'load', text: expect.stringContaining('step 1 line 0') }),
    );
    // The stream is the run's record too: events.ndjson holds the same events (without `v`).
    const runDir = (events[0] as unknown as { runDir: string }).runDir;
    const recorded = readFileSync(join(runDir, 'events.ndjson'), 'utf8').trim().split('\n');
    expect(recorded.length).toBe(events.length);
  });
});
