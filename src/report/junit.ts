// `--junit FILE`: the run as JUnit XML (one testcase per node or matrix instance), written at close.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { RunEvent } from '../events/run-event.js';
import { initialRunState, reduceRunStateInPlace, type NodeState, type RunState } from '../events/run-state.js';
import { describeBranch, describeError, describeSkip, formatValue } from './format.js';
import type { Reporter } from './reporter.js';
import { escapeXmlAttr as attr, escapeXmlText as text } from './xml.js';

interface TestCase {
  name: string;
  seconds: number;
  /** The element inside <testcase>, if any. */
  body: string;
  kind: 'passed' | 'failure' | 'error' | 'skipped';
}

function seconds(ms: number | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

/**
 * How each status maps (docs/events.md): failed → <failure>; skipped and upstream_failed →
 * <skipped> (an upstream failure is already reported once, on the node that failed);
 * cancelled and a node still running when the report is written → <error> (the run was
 * interrupted: never green); never decided → <skipped message="not run">.
 */
function testCase(name: string, n: NodeState): TestCase {
  const tc = (kind: TestCase['kind'], body: string): TestCase => ({
    name,
    seconds: (n.durationMs ?? 0) / 1000,
    kind,
    body,
  });
  switch (n.status) {
    case 'succeeded':
      // A decision node's result is its choice: said in the testcase's output, operands included.
      if (n.decision && n.branch) return tc('passed', `<system-out>${text(describeBranch({ by: n.id, ...n.branch }))}</system-out>`);
      return tc('passed', '');
    case 'failed': {
      const e = n.error;
      if (!e) return tc('failure', `<failure message="failed" type="failed"/>`);
      const message = e.ename ? (e.evalue ? `${e.ename}: ${e.evalue}` : e.ename) : `${e.errorClass}: ${e.message}`;
      const details = [
        describeError(e),
        ...(n.continueOnError ? ['continue_on_error: the run went on'] : []),
        ...(n.notebookPath ? [`notebook: ${n.notebookPath}`] : []),
        ...(e.traceback?.length ? ['', e.traceback.join('\n')] : []),
      ].join('\n');
      // IPython colours tracebacks (and sometimes evalues): ANSI escapes are noise in a report.
      const [m, t, d] = [message, e.ename ?? e.errorClass, details].map((x) => stripVTControlCharacters(x));
      return tc('failure', `<failure message="${attr(m)}" type="${attr(t)}">${text(d)}</failure>`);
    }
    case 'skipped':
    case 'upstream_failed': {
      const reason = n.skip ? describeSkip(n.skip) : n.status === 'skipped' ? 'skipped' : 'upstream failed';
      return tc('skipped', `<skipped message="${attr(reason)}"/>`);
    }
    case 'cancelled':
      return tc('error', `<error message="cancelled: the run was interrupted" type="cancelled"/>`);
    case 'running':
    case 'retrying':
      return tc('error', `<error message="did not finish" type="unfinished"/>`);
    case 'pending':
    case 'queued':
      return tc('skipped', `<skipped message="not run"/>`);
  }
}

/** Matrix instances are the test cases of a fanned-out node (with its continue_on_error), unless none of them ever ran. */
function testCases(state: RunState): TestCase[] {
  const cases: TestCase[] = [];
  for (const n of Object.values(state.nodes)) {
    const instances = (n.instances ?? []).filter(Boolean);
    if (instances.some((i) => i.status !== 'pending')) {
      for (const [i, inst] of (n.instances ?? []).entries())
        if (inst) cases.push(testCase(`${n.id}[${i}]`, { ...inst, continueOnError: n.continueOnError }));
    } else {
      cases.push(testCase(n.id, n));
    }
  }
  return cases;
}

/** The JUnit XML document for a run's state (testsuite = workflow). */
export function renderJunit(state: RunState): string {
  const cases = testCases(state);
  const count = (kind: TestCase['kind']) => cases.filter((c) => c.kind === kind).length;
  const totals =
    `tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" ` +
    `skipped="${count('skipped')}" time="${seconds(state.durationMs)}"`;
  const name = attr(state.workflow);
  const timestamp = state.startedAt ? ` timestamp="${attr(state.startedAt.replace(/\.\d+Z$|Z$/, ''))}"` : '';
  const properties = [
    ['run_id', state.runId],
    ['run_dir', state.runDir],
    ['workflow_file', state.workflowFile],
    ...Object.entries(state.params).map(([k, v]) => [`param.${k}`, typeof v === 'string' ? v : formatValue(v, Infinity)]),
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${name}" ${totals}>`,
    `  <testsuite name="${name}" ${totals}${timestamp}>`,
    '    <properties>',
    ...properties.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
    '    </properties>',
    ...cases.map((c) => {
      const open = `    <testcase name="${attr(c.name)}" classname="${name}" time="${c.seconds.toFixed(3)}"`;
      return c.body ? `${open}>\n      ${c.body}\n    </testcase>` : `${open}/>`;
    }),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

/** Folds the run's events and writes the JUnit file when closed (creating its directory). */
export function createJunitReporter(opts: { file: string }): Reporter {
  let state = initialRunState();
  return {
    onEvent(ev: RunEvent) {
      // Only the latest state is kept: fold in place (a copy per event is quadratic in nodes).
      state = reduceRunStateInPlace(state, ev);
    },
    async close() {
      await mkdir(dirname(opts.file), { recursive: true });
      await writeFile(opts.file, renderJunit(state));
    },
  };
}
