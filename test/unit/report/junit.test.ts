// JUnit XML: exact document for the scripted run, status mapping, and escaping of hostile text.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/events/run-event.js';
import { initialRunState, reduceRunState } from '../../../src/events/run-state.js';
import { createJunitReporter, renderJunit } from '../../../src/report/junit.js';
import { escapeXmlAttr, escapeXmlText, stripInvalidXmlChars } from '../../../src/report/xml.js';
import { buildEventScript, scriptAt } from '../../helpers/event-script.js';
import { repoRoot } from '../../helpers/paths.js';

const fold = (events: RunEvent[]) => events.reduce(reduceRunState, initialRunState());

const expected = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="hesa-return" tests="8" failures="1" errors="0" skipped="3" time="9.000">
  <testsuite name="hesa-return" tests="8" failures="1" errors="0" skipped="3" time="9.000" timestamp="2026-11-26T09:30:00">
    <properties>
      <property name="run_id" value="20261126T093000Z-3f9a"/>
      <property name="run_dir" value="runs/20261126T093000Z-3f9a"/>
      <property name="workflow_file" value="workflows/hesa-return.yml"/>
      <property name="param.year" value="2025"/>
      <property name="param.period" value="P2"/>
    </properties>
    <testcase name="extract" classname="hesa-return" time="5.590"/>
    <testcase name="audit" classname="hesa-return" time="0.000">
      <skipped message="condition params.period == &quot;P3&quot; was false (params.period=&quot;P2&quot;)"/>
    </testcase>
    <testcase name="validate" classname="hesa-return" time="1.390"/>
    <testcase name="error_report" classname="hesa-return" time="0.000">
      <skipped message="branch not taken — validate chose export because outputs.errors &gt; 0 was false (outputs.errors=0)"/>
    </testcase>
    <testcase name="export[0]" classname="hesa-return" time="1.190"/>
    <testcase name="export[1]" classname="hesa-return" time="1.490">
      <failure message="ValueError: invalid HUSID &quot;12 &lt;34&gt;&quot; ]]&gt; &amp; more" type="ValueError">cell 3 (In [3]): ValueError: invalid HUSID "12 &lt;34&gt;" ]]&gt; &amp; more
notebook: runs/20261126T093000Z-3f9a/export.1.ipynb

---------------------------------------------------------------------------
ValueError                                Traceback (most recent call last)
Cell In[3], line 2
      1 rows = load(path)
----&gt; 2 check(rows)
ValueError: invalid HUSID "12 &lt;34&gt;" ]]&gt; &amp; more</failure>
    </testcase>
    <testcase name="summary" classname="hesa-return" time="0.000">
      <skipped message="upstream failed: export"/>
    </testcase>
    <testcase name="alert" classname="hesa-return" time="0.490"/>
  </testsuite>
</testsuites>
`;

/** Parses with Python's expat (a real XML 1.0 parser) and returns what a consumer would read. */
function parseWithPython(xml: string): { attrs: Record<string, string>[]; texts: string[] } {
  const venv = join(repoRoot, '.venv', 'bin', 'python');
  const python = existsSync(venv) ? venv : 'python3';
  const script = `
import sys, json, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
out = {"attrs": [], "texts": []}
for tag in ("failure", "skipped", "error", "testcase", "property"):
    for e in d.getElementsByTagName(tag):
        out["attrs"].append(dict(e.attributes.items()))
        if e.firstChild is not None:
            out["texts"].append(e.firstChild.data)
print(json.dumps(out))`;
  const r = spawnSync(python, ['-c', script], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not well-formed XML: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('renderJunit', () => {
  it('renders the scripted run: a testcase per node and per matrix instance', () => {
    expect(renderJunit(fold(buildEventScript()))).toBe(expected);
  });

  it('is well-formed XML that a parser reads back as written', () => {
    const parsed = parseWithPython(expected);
    expect(parsed.attrs).toContainEqual({ message: 'ValueError: invalid HUSID "12 <34>" ]]> & more', type: 'ValueError' });
  });

  it('maps cancelled and unfinished nodes to <error>, undecided ones to <skipped>', () => {
    const xml = renderJunit(
      fold([
        {
          ...buildEventScript()[0],
          nodes: [
            { id: 'a', notebook: 'a' },
            { id: 'b', notebook: 'b' },
            { id: 'c', notebook: 'c' },
          ],
        } as RunEvent,
        { type: 'node_started', at: scriptAt(1), node: 'a', attempt: 1, maxAttempts: 1, notebookPath: 'a.ipynb', params: {} },
        { type: 'node_finished', at: scriptAt(2), node: 'a', status: 'cancelled', attempts: 1, durationMs: 1 },
        { type: 'node_started', at: scriptAt(1), node: 'b', attempt: 1, maxAttempts: 1, notebookPath: 'b.ipynb', params: {} },
      ]),
    );
    expect(xml).toContain('tests="3" failures="0" errors="2" skipped="1"');
    expect(xml).toContain('<error message="cancelled: the run was interrupted" type="cancelled"/>');
    expect(xml).toContain('<error message="did not finish" type="unfinished"/>');
    expect(xml).toContain('<testcase name="c" classname="hesa-return" time="0.000">\n      <skipped message="not run"/>');
  });

  it('removes characters XML 1.0 forbids and escapes the rest, in names, messages and tracebacks', () => {
    const nasty = 'a]]>b <c> & "d" \'e\'\u0000\u0001\u0008\u000b\u000c\u001b[31mred\u001b[0m\u007f\ud800\ufffe\uffff 😀\ttab\r\nline';
    const events: RunEvent[] = [
      { ...buildEventScript()[0], workflow: `w${nasty}`, params: { p: nasty }, nodes: [{ id: 'n', notebook: 'n' }] } as RunEvent,
      { type: 'node_started', at: scriptAt(1), node: 'n', attempt: 1, maxAttempts: 1, notebookPath: `n${nasty}.ipynb`, params: {} },
      {
        type: 'node_finished',
        at: scriptAt(2),
        node: 'n',
        status: 'failed',
        attempts: 1,
        durationMs: 1,
        error: { errorClass: 'error', message: nasty, cell: 0, ename: `E${nasty}`, evalue: nasty, traceback: [nasty] },
      },
    ];
    const xml = renderJunit(fold(events));
    const parsed = parseWithPython(xml);
    // What survives: everything but the forbidden characters (and the ANSI escapes in tracebacks).
    const kept = stripInvalidXmlChars(nasty);
    expect(kept).toBe('a]]>b <c> & "d" \'e\'[31mred[0m\u007f 😀\ttab\r\nline');
    const plain = kept.replace('[31mred[0m', 'red');
    const failure = parsed.attrs.find((a) => a.type !== undefined && a.message !== undefined);
    expect(failure).toEqual({ message: `E${plain}: ${plain}`, type: `E${plain}` });
    expect(parsed.attrs).toContainEqual({ name: 'param.p', value: kept });
    expect(parsed.texts[0]).toContain('cell 1: E');
    expect(parsed.texts[0].endsWith('\ttab\r\nline')).toBe(true);
  });
});

describe('XML escaping', () => {
  it('escapes markup in text and attributes, keeping attribute whitespace as references', () => {
    expect(escapeXmlText('x ]]> <y> & z\r')).toBe('x ]]&gt; &lt;y&gt; &amp; z&#13;');
    expect(escapeXmlAttr(`"it's"\n\t<`)).toBe('&quot;it&apos;s&quot;&#10;&#9;&lt;');
  });
});

describe('junit reporter', () => {
  it('writes the file at close, creating its directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-junit-'));
    try {
      const file = join(dir, 'reports', 'nested', 'junit.xml');
      const r = createJunitReporter({ file });
      for (const ev of buildEventScript()) r.onEvent(ev);
      expect(existsSync(file)).toBe(false);
      await r.close();
      expect(readFileSync(file, 'utf8')).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a decision node', () => {
  it('is a passing testcase whose output is its choice, operands included', () => {
    const at = '2026-11-26T09:30:00.000Z';
    const xml = renderJunit(
      fold([
        {
          type: 'run_started',
          at,
          runId: 'r1',
          workflow: 'wf',
          workflowFile: 'wf.yml',
          runDir: 'runs/r1',
          params: {},
          nodes: [{ id: 'gate', decision: true }],
        },
        { type: 'node_started', at, node: 'gate', attempt: 1, maxAttempts: 1, params: {} },
        {
          type: 'branch_decided',
          at,
          node: 'gate',
          chose: 'publish',
          because: 'nodes.a.outputs.n > 0',
          operands: { 'nodes.a.outputs.n': 3 },
          rejected: [],
        },
        { type: 'node_finished', at, node: 'gate', status: 'succeeded', attempts: 1, durationMs: 1 },
      ]),
    );
    expect(xml).toContain('tests="1" failures="0" errors="0" skipped="0"');
    expect(xml).toContain(
      '<testcase name="gate" classname="wf" time="0.001">\n      <system-out>gate chose publish because nodes.a.outputs.n &gt; 0 was true (nodes.a.outputs.n=3)</system-out>\n    </testcase>',
    );
  });
});
