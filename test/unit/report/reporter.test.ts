// Choosing and combining reporters; plain mode must never load Ink or React.
import { Console } from 'node:console';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveReporterName, shouldColor } from '../../../src/report/reporter.js';
import { createReporters } from '../../../src/run/create-reporters.js';
import { buildEventScript } from '../../helpers/event-script.js';
import { staticGraph } from '../../helpers/module-graph.js';
import { repoRoot } from '../../helpers/paths.js';
import { FakeStdout } from '../ui/fake-stdout.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('resolveReporterName', () => {
  it.each([
    ['auto', tty, {}, 'ink'],
    ['auto', tty, { CI: 'true' }, 'plain'],
    ['auto', tty, { CI: '1' }, 'plain'],
    ['auto', tty, { CI: 'false' }, 'ink'],
    ['auto', tty, { TERM: 'dumb' }, 'plain'],
    ['auto', pipe, {}, 'plain'],
    ['ink', pipe, { CI: 'true' }, 'ink'],
    ['json', tty, {}, 'json'],
    ['plain', tty, {}, 'plain'],
  ] as const)('%s on %j with %j → %s', (name, stdout, env, want) => {
    expect(resolveReporterName(name, stdout, env)).toBe(want);
  });
});

describe('shouldColor', () => {
  it.each([
    [tty, {}, true],
    [pipe, {}, false],
    [tty, { NO_COLOR: '1' }, false],
    [tty, { NO_COLOR: '' }, true],
    [pipe, { FORCE_COLOR: '1' }, true],
    [tty, { FORCE_COLOR: '0' }, false],
    [tty, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    [tty, { TERM: 'dumb' }, false],
  ] as const)('%j with %j → %s', (stdout, env, want) => {
    expect(shouldColor(stdout, env)).toBe(want);
  });
});

function fakeStdout(isTTY: boolean): FakeStdout & NodeJS.WriteStream {
  const out = new FakeStdout(80);
  out.isTTY = isTTY;
  return out as FakeStdout & NodeJS.WriteStream;
}

describe('createReporters', () => {
  it('writes plain lines to a pipe and the JUnit file at close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-rep-'));
    try {
      const stdout = fakeStdout(false);
      const junit = join(dir, 'junit.xml');
      const r = await createReporters({ junit, stdout, env: {} });
      for (const ev of buildEventScript()) r.onEvent(ev);
      await r.close();
      expect(stdout.all()).toContain('✔ extract succeeded in 5.6s after 2 attempts\n');
      expect(stdout.all()).not.toContain('\u001b[');
      expect(readFileSync(junit, 'utf8')).toContain('<testcase name="export[1]"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes NDJSON for json', async () => {
    const stdout = fakeStdout(true);
    const r = await createReporters({ reporter: 'json', stdout, env: {} });
    for (const ev of buildEventScript()) r.onEvent(ev);
    await r.close();
    expect(stdout.all().split('\n')[0]).toMatch(/^\{"v":1,"type":"run_started",/);
  });

  it('renders the live view on a terminal and leaves the summary when closed', async () => {
    // Ink patches the console through console.Console, which vitest's console lacks.
    (console as { Console?: unknown }).Console ??= Console;
    const stdout = fakeStdout(true);
    const r = await createReporters({ stdout, env: {} });
    for (const ev of buildEventScript()) r.onEvent(ev);
    await r.close();
    const screen = stripVTControlCharacters(stdout.all());
    expect(screen).toContain('↷ error_report skipped: branch not taken — validate chose export because');
    expect(screen).toContain('✖ run failed in 9.0s: 3 succeeded, 1 failed, 1 upstream failed, 2 skipped');
    expect(screen).toContain('run directory: runs/20261126T093000Z-3f9a');
  });
});

describe('module graph', () => {
  it('plain, json and junit reporters load neither Ink, React nor the UI', () => {
    const { packages, files } = staticGraph('src/run/create-reporters.ts');
    expect([...files].map((f) => f.slice(repoRoot.length + 1)).sort()).toContain('src/report/plain.ts');
    expect(packages.has('chalk')).toBe(true);
    expect([...packages].filter((p) => /^(ink|react)(\/|$)/.test(p))).toEqual([]);
    expect([...files].filter((f) => f.includes('/src/ui/') || f.endsWith('/ui/ink-reporter.ts'))).toEqual([]);
  });

  it('the check sees Ink where it is imported', () => {
    expect(staticGraph('src/ui/ink-reporter.ts').packages.has('ink')).toBe(true);
  });
});
