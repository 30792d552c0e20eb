// `flow run` in a real terminal (tmux): the live view while it runs, the summary it leaves
// behind, at 100 and at 60 columns, and Ctrl-C typed into the terminal.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTerminal, type Terminal } from '../helpers/tmux.js';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';

const workflow = join(fixturesDir, 'terminal', 'live.yml');
const runsDir = mkdtempSync(join(tmpdir(), 'flow-terminal-'));
const terminals: Terminal[] = [];
afterAll(() => {
  for (const t of terminals) t.kill();
  // A run cancelled before flaky's second attempt leaves its marker (see the notebook) behind.
  const runs = join(runsDir, 'terminal-live');
  for (const id of existsSync(runs) ? readdirSync(runs) : []) rmSync(join(tmpdir(), `flow-flaky-${id}`), { force: true });
  rmSync(runsDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

let sessions = 0;
function open(columns: number, args: string[]): Terminal {
  const t = startTerminal({
    socket: `flow-test-${process.pid}-${++sessions}`,
    columns,
    rows: 40,
    cwd: repoRoot,
    argv: [process.execPath, cliPath, 'run', workflow, '--runs-dir', runsDir, ...args],
  });
  terminals.push(t);
  return t;
}

const exited = (s: string) => /^EXIT=\d+$/m.test(s);
const spinner = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]';
const lines = (s: string) => s.split('\n').map((l) => l.trimEnd());

/** Watches the screen until flow exits, remembering whether each live state was ever shown. */
async function watch(t: Terminal, seen: Record<string, RegExp>): Promise<{ screen: string; shown: Set<string> }> {
  const shown = new Set<string>();
  const screen = await t.waitFor((s) => {
    for (const [name, re] of Object.entries(seen)) if (re.test(s)) shown.add(name);
    return exited(s);
  }, 'flow to exit');
  return { screen, shown };
}

function runDirOf(screen: string): string {
  const m = /^run directory: (\S+)$/m.exec(screen);
  expect(m, screen).not.toBeNull();
  return m![1];
}

describe('flow run in a terminal (tmux)', () => {
  it('shows the live view, then every node once, the summary table and the run directory', async () => {
    const t = open(100, []);
    const { screen, shown } = await watch(t, {
      header: /^terminal-live · run \d{8}T\d{6}Z-[0-9a-f]{4} · /m,
      counts: /^\d+ succeeded · 1 skipped · \d+ running/m,
      spinnerWithCells: new RegExp(`^${spinner} load\\s+cell \\d/6 [█░]{20} \\d`, 'm'),
      retryCountdown: /^↻ flaky retry in \ds · attempt 1\/2 failed: cell 3 \(In \[3\]\): RuntimeError: flaky: first attempt fails$/m,
      secondAttempt: new RegExp(`^${spinner} flaky .*attempt 2/2$`, 'm'),
    });
    expect([...shown].sort()).toEqual(['counts', 'header', 'retryCountdown', 'secondAttempt', 'spinnerWithCells']);

    const l = lines(screen);
    // Finished nodes, each exactly once (the <Static> part never repeats), in the order they finished.
    const finished = l.filter((x) => /^[✔✖↷⊘■] /.test(x) && !x.startsWith('✔ run '));
    expect(finished.map((x) => x.split(' ')[1]).sort()).toEqual(['check', 'fix', 'flaky', 'load', 'report']);
    expect(screen).toMatch(/^✔ check succeeded in \S+ {2}rows=120, bad=0$/m);
    expect(l).toContain('↷ fix skipped: branch not taken — check chose load because outputs.bad > 0 was false (outputs.bad=0)');
    expect(screen).toMatch(/^✔ flaky succeeded in \S+ after 2 attempts {2}recovered=true$/m);
    expect(screen).toMatch(/^✔ load succeeded in \S+ {2}steps_done=4$/m);
    // The table: header and a row per node, in plan order.
    const head = l.indexOf('NODE    STATUS     DURATION  ATTEMPTS  OUTPUTS');
    expect(head, screen).toBeGreaterThan(-1);
    expect(l.slice(head + 1, head + 6).map((x) => x.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/^check succeeded \S+ 1 rows=120, bad=0$/),
      expect.stringMatching(/^load succeeded \S+ 1 steps_done=4$/),
      'fix skipped - -',
      expect.stringMatching(/^flaky succeeded \S+ 2\/2 recovered=true$/),
      expect.stringMatching(/^report succeeded \S+ 1$/),
    ]);
    expect(screen).toMatch(/^✔ run succeeded in \S+: 4 succeeded, 1 skipped$/m);
    // The live area is gone at the end: no header, spinner or waiting line left over.
    expect(screen).not.toMatch(/^terminal-live · run /m);
    expect(screen).not.toMatch(new RegExp(`^${spinner} |^◦ `, 'm'));
    expect(screen).toMatch(/^EXIT=0$/m);

    const runDir = runDirOf(screen);
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    expect(run.status).toBe('succeeded');
    // Colour: statuses are painted (capture-pane -e keeps the escapes).
    expect(t.screen({ colour: true })).toMatch(/\u001b\[32m✔\u001b\[39m \u001b\[1mcheck/);
  });

  it('fits 60 columns: no line wraps, verbose output shown under the running cell', async () => {
    const t = open(60, ['--verbose']);
    const { screen, shown } = await watch(t, {
      shortBar: new RegExp(`^${spinner} load\\s+cell \\d/6 [█░]{6} \\d`, 'm'),
      outputTail: /^ {2}│ step \d line [01]$/m,
    });
    expect([...shown].sort()).toEqual(['outputTail', 'shortBar']);
    // Unjoined, every line of the summary is whole: Ink cut what was too long, nothing wrapped.
    const raw = lines(t.screen({ raw: true }));
    expect(raw).toContain('↷ fix skipped: branch not taken — check chose load because …');
    expect(raw.map((x) => x.replace(/\s+/g, ' '))).toEqual(
      expect.arrayContaining([
        'NODE STATUS DURATION ATTEMPTS OUTPUTS',
        'fix skipped - -',
        expect.stringMatching(/^flaky succeeded \S+ 2\/2 recovered=true$/),
      ]),
    );
    expect(screen).toMatch(/^✔ run succeeded in \S+: 4 succeeded, 1 skipped$/m);
    // The path is written outside Ink, so the terminal soft-wraps it: joined, it is whole.
    expect(existsSync(join(runDirOf(screen), 'run.json'))).toBe(true);
    expect(screen).toMatch(/^EXIT=0$/m);
  });

  it('Ctrl-C while a node sleeps: cancelled on screen and in run.json, exit 130', async () => {
    const t = open(100, ['-p', 'pause=4']);
    await t.waitFor((s) => new RegExp(`^${spinner} load\\s+cell [3-6]/6`, 'm').test(s), 'load to be inside a sleeping cell');
    t.sendKeys('C-c');
    const screen = await t.waitFor(exited, 'flow to exit after Ctrl-C');
    expect(screen).toMatch(/^EXIT=130$/m);
    expect(screen).toMatch(/^■ load cancelled after \S+$/m);
    expect(screen).toMatch(/^load\s+cancelled\s+\S+\s+1$/m);
    expect(screen).toMatch(/^report\s+cancelled\s+-\s+-$/m);
    expect(screen).toMatch(/^■ run cancelled in \S+: 1 succeeded, 1 skipped, 3 cancelled$/m);
    const run = JSON.parse(readFileSync(join(runDirOf(screen), 'run.json'), 'utf8'));
    expect(run.status).toBe('cancelled');
    expect(run.exitCode).toBe(130);
    expect(run.nodes.load.status).toBe('cancelled');
  });
});
