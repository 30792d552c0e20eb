// The live view as frames: a pure function of RunState, the clock and a spinner frame.
import { stripVTControlCharacters } from 'node:util';
import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/events/run-event.js';
import { initialRunState, reduceRunState } from '../../../src/events/run-state.js';
import { App } from '../../../src/ui/App.js';
import { buildEventScript, eventsUntil, scriptAt, scriptStart, scriptSummary } from '../../helpers/event-script.js';
import { FakeStdout } from './fake-stdout.js';

const fold = (events: RunEvent[]) => events.reduce(reduceRunState, initialRunState());
const script = buildEventScript();
const before = (match: (e: RunEvent) => boolean) => fold(eventsUntil(script, match));
const lastAt = (match: (e: RunEvent) => boolean) => {
  const evs = eventsUntil(script, match);
  return Date.parse(evs[evs.length - 1].at);
};

const retrying = (e: RunEvent) => e.type === 'node_started' && e.attempt === 2;
const extractRunning = (e: RunEvent) => e.type === 'attempt_failed';
const exportRunning = (e: RunEvent) => e.type === 'node_finished' && e.instance === 0;

const unmounts: (() => void)[] = [];
afterEach(() => {
  for (const u of unmounts.splice(0)) u();
});

function frame(props: Parameters<typeof App>[0]): string {
  const r = render(<App {...props} />);
  unmounts.push(r.unmount);
  return r.lastFrame() ?? '';
}

/** Ink on a terminal of a chosen width (ink-testing-library's is fixed at 100). */
function renderAt(columns: number, element: React.ReactElement) {
  const stdout = new FakeStdout(columns);
  const instance = inkRender(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  unmounts.push(() => instance.unmount());
  return { stdout, instance };
}

const widthOf = (line: string) => [...stripVTControlCharacters(line)].length;
/** Lets React run effects and commit the updates they caused. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

describe('App', () => {
  it('shows a running node with its cell, bar, elapsed time, attempt and (verbose) its output', () => {
    const state = before(extractRunning);
    expect(frame({ state, now: lastAt(extractRunning) + 500, frame: 3, verbose: true })).toBe(
      `hesa-return · run 20261126T093000Z-3f9a · 1.5s
1 running · 6 pending
⠸ extract cell 2/3 ███████░░░░░░░░░░░░░ 1.5s  attempt 1/3
  │ loading students
◦ 6 pending (audit, validate, error_report, export, summary, alert)`,
    );
    expect(frame({ state, now: lastAt(extractRunning) + 500, frame: 4 })).not.toContain('loading students');
  });

  it('counts down to the next attempt, before the (cut) reason', () => {
    const state = before(retrying);
    expect(frame({ state, now: scriptStart + 2000, frame: 0 })).toBe(
      `hesa-return · run 20261126T093000Z-3f9a · 2.0s
1 retrying · 6 pending
↻ extract retry in 2s · attempt 1/3 failed: cell 2: kernel_died: the kernel died while running cell…
◦ 6 pending (audit, validate, error_report, export, summary, alert)`,
    );
    expect(frame({ state, now: scriptStart + 3000, frame: 0 })).toContain('↻ extract retry in 1s · attempt 1/3 failed');
  });

  it('moves finished nodes above the live area and fans a matrix node out by instance', () => {
    const state = before(exportRunning);
    expect(frame({ state, now: scriptStart + 8700, frame: 3, verbose: true })).toBe(
      `✔ extract succeeded in 5.6s after 2 attempts  rows=120, path="out/students.csv"
↷ audit skipped: condition params.period == "P3" was false (params.period="P2")
✔ validate succeeded in 1.4s  errors=0, warnings=2
↷ error_report skipped: branch not taken — validate chose export because outputs.errors > 0 was fal…
hesa-return · run 20261126T093000Z-3f9a · 8.7s
2 succeeded · 2 skipped · 1 running · 2 pending
⠸ export 0/2 instances ░░░░░░░░░░░░░░░░░░░░ 1.7s
  ⠸ export[0] cell 2/2 ████████████████████ 1.7s
  ⠸ export[1] cell 3/3 █████████████░░░░░░░ 1.7s
    │ checking 120 rows
◦ 2 pending (summary, alert)`,
    );
  });

  it('ends with the summary table and the run directory', () => {
    expect(frame({ state: fold(script), now: scriptStart + 60_000, frame: 0 })).toBe(
      `✔ extract succeeded in 5.6s after 2 attempts  rows=120, path="out/students.csv"
↷ audit skipped: condition params.period == "P3" was false (params.period="P2")
✔ validate succeeded in 1.4s  errors=0, warnings=2
↷ error_report skipped: branch not taken — validate chose export because outputs.errors > 0 was fal…
✖ export failed in 1.5s (instances: 1 succeeded, 1 failed)
  ✔ export[0] succeeded in 1.2s  xml_path="out/return.xml"
  ✖ export[1] failed in 1.5s: cell 3 (In [3]): ValueError: invalid HUSID "12 <34>" ]]> & more
    notebook: runs/20261126T093000Z-3f9a/export.1.ipynb
⊘ summary not run: upstream failed: export
✔ alert succeeded in 490ms
hesa-return · run 20261126T093000Z-3f9a · 9.0s
3 succeeded · 1 failed · 1 upstream failed · 2 skipped

${scriptSummary}`,
    );
  });

  it('keeps finished nodes in the order they finished, each once, when rendered event by event', () => {
    const r = render(<App state={initialRunState()} now={scriptStart} frame={0} />);
    unmounts.push(r.unmount);
    let state = initialRunState();
    for (const ev of script) {
      state = reduceRunState(state, ev);
      r.rerender(<App state={state} now={Date.parse(ev.at)} frame={0} />);
    }
    const lines = (r.lastFrame() ?? '').split('\n');
    const finished = lines
      .slice(
        0,
        lines.findIndex((l) => l.startsWith('hesa-return · ')),
      )
      .filter((l) => /^[✔✖↷⊘■] /.test(l));
    expect(finished.map((l) => l.split(' ')[1])).toEqual(['extract', 'audit', 'validate', 'error_report', 'export', 'summary', 'alert']);
  });

  it('keeps warnings above the live area', () => {
    const state = fold([
      script[0],
      { type: 'log', at: scriptAt(5), level: 'warn', node: 'extract', message: 'no cell tagged "parameters"' },
    ]);
    expect(frame({ state, now: scriptStart, frame: 0 }).split('\n')[0]).toBe('⚠ extract: no cell tagged "parameters"');
  });

  it('fits 60 columns: every line cut to the width, the bar shorter', () => {
    const { stdout } = renderAt(60, <App state={before(exportRunning)} now={scriptStart + 8700} frame={3} verbose />);
    const lines = (stdout.lastFrame() ?? '').split('\n');
    expect(lines.filter((l) => widthOf(l) > 60)).toEqual([]);
    expect(lines).toContain('  ⠸ export[1] cell 3/3 ████░░ 1.7s');
    expect(lines).toContain('↷ error_report skipped: branch not taken — validate chose e…');
  });

  it('fits 60 columns at the end too, keeping the run directory whole', () => {
    const { stdout } = renderAt(60, <App state={fold(script)} now={scriptStart} frame={0} />);
    const lines = (stdout.lastFrame() ?? '').split('\n');
    expect(lines.filter((l) => widthOf(l) > 60)).toEqual([]);
    expect(lines).toContain('extract       succeeded        5.6s      2/3       rows=120…');
    expect(lines[lines.length - 1]).toBe('run directory: runs/20261126T093000Z-3f9a');
  });

  it('re-lays out when the terminal is resized', async () => {
    const { stdout } = renderAt(100, <App state={before(extractRunning)} now={lastAt(extractRunning)} frame={0} />);
    await settle();
    expect(stdout.lastFrame()).toContain('cell 2/3 ███████░░░░░░░░░░░░░ ');
    stdout.resize(60);
    await settle();
    expect(stdout.lastFrame()).toContain('cell 2/3 ██░░░░ ');
    stdout.resize(40);
    await settle();
    const lines = (stdout.lastFrame() ?? '').split('\n');
    expect(lines.filter((l) => widthOf(l) > 40)).toEqual([]);
    expect(lines).toContain('⠋ extract cell 2/3 990ms  attempt 1/3');
  });

  it('says it is starting before the run has started', () => {
    expect(frame({ state: initialRunState(), now: 0, frame: 0 })).toBe('starting…');
  });
});
