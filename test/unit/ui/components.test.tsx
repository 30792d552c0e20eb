// Small components and the store behind the live view.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NodeState } from '../../../src/events/run-state.js';
import { barWidth } from '../../../src/ui/ActiveNode.js';
import { FinishedNode } from '../../../src/ui/FinishedNode.js';
import { LiveApp } from '../../../src/ui/LiveApp.js';
import { ProgressBar } from '../../../src/ui/ProgressBar.js';
import { createRunStore } from '../../../src/ui/run-store.js';
import { Spinner, spinnerFrames } from '../../../src/ui/Spinner.js';
import { Text } from 'ink';
import { buildEventScript, scriptAt } from '../../helpers/event-script.js';

const unmounts: (() => void)[] = [];
afterEach(() => {
  for (const u of unmounts.splice(0)) u();
  vi.useRealTimers();
});
function frame(el: React.ReactElement): string {
  const r = render(el);
  unmounts.push(r.unmount);
  return r.lastFrame() ?? '';
}

describe('Spinner and ProgressBar', () => {
  it('spins through its frames by counter', () => {
    expect([0, 1, 10, 11].map((f) => frame(<Spinner frame={f} />))).toEqual(['⠋', '⠙', '⠋', '⠙']);
    expect(spinnerFrames).toHaveLength(10);
  });

  it('fills in proportion and clamps', () => {
    const bar = (done: number, total: number, width: number) =>
      frame(
        <Text>
          [<ProgressBar done={done} total={total} width={width} />]
        </Text>,
      );
    expect(bar(1, 4, 8)).toBe('[██░░░░░░]');
    expect(bar(5, 4, 4)).toBe('[████]');
    expect(bar(0, 0, 3)).toBe('[░░░]');
    expect(bar(1, 2, 0)).toBe('[]');
    expect([120, 100, 80, 60, 50, 49].map(barWidth)).toEqual([20, 20, 12, 6, 6, 0]);
  });
});

describe('FinishedNode', () => {
  const base: NodeState = { id: 'n', notebook: 'n.ipynb', status: 'succeeded', attempts: [], lastOutput: [] };
  const attempt = { attempt: 1, startedAt: scriptAt(0), notebookPath: 'n.ipynb' };
  it.each([
    [{ ...base, reused: true }, '✔ n succeeded (reused from an earlier run)'],
    [{ ...base, status: 'cancelled', attempts: [attempt], durationMs: 3000 }, '■ n cancelled after 3.0s'],
    [{ ...base, status: 'cancelled' }, '■ n cancelled'],
    [
      { ...base, status: 'skipped', skip: { kind: 'upstream_skipped', upstream: ['a', 'b'] } },
      '↷ n skipped: every upstream node was skipped (a, b)',
    ],
    [
      {
        ...base,
        status: 'failed',
        attempts: [attempt],
        durationMs: 200,
        continueOnError: true,
        notebookPath: 'runs/r/n.ipynb',
        error: { errorClass: 'kernel_died', message: 'the kernel died' },
      },
      '✖ n failed in 200ms: kernel_died: the kernel died (continue_on_error: the run goes on)\n  notebook: runs/r/n.ipynb',
    ],
  ] as [NodeState, string][])('%#: %s', (node, text) => {
    expect(frame(<FinishedNode node={node} label={node.id} />)).toBe(text);
  });
});

describe('run store', () => {
  it('folds every event but notifies at most once per interval, and at once when the run ends', () => {
    vi.useFakeTimers();
    const store = createRunStore({ intervalMs: 100 });
    const seen: number[] = [];
    store.subscribe(() => seen.push(Object.keys(store.getState().nodes).length));
    const events = buildEventScript();
    for (const ev of events.slice(0, 10)) store.dispatch(ev);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(99);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([7]);
    for (const ev of events.slice(10)) store.dispatch(ev);
    expect(seen).toEqual([7, 7]);
    expect(store.getState().status).toBe('failed');
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([7, 7]);
  });

  it('stops notifying an unsubscribed listener', () => {
    const store = createRunStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.flush();
    off();
    store.flush();
    expect(calls).toBe(1);
  });
});

describe('LiveApp', () => {
  it('renders the store and follows it', async () => {
    const store = createRunStore({ intervalMs: 1 });
    const r = render(<LiveApp store={store} tickMs={1000} />);
    unmounts.push(r.unmount);
    expect(r.lastFrame()).toBe('starting…');
    for (const ev of buildEventScript()) store.dispatch(ev);
    for (let i = 0; i < 3; i++) await new Promise((res) => setImmediate(res));
    expect(r.lastFrame()).toContain('run directory: runs/20261126T093000Z-3f9a');
  });
});
