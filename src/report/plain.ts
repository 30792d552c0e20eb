// The plain reporter: one timestamped line per meaningful event, for CI logs and pipes.
import chalk, { Chalk } from 'chalk';
import type { RunEvent } from '../events/run-event.js';
import { initialRunState, reduceRunStateInPlace } from '../events/run-state.js';
import { formatClock, sanitizeTerminalText } from './format.js';
import { formatPlainEvent, nodeLabel } from './plain-lines.js';
import type { Reporter, TextSink } from './reporter.js';

export interface PlainReporterOptions {
  out: TextSink;
  /** Colour with ANSI escapes (decide with shouldColor). */
  color: boolean;
  /** Also print what notebooks print, each line prefixed by its node. @default false */
  verbose?: boolean;
  /** Timestamps in UTC rather than local time. @default false */
  utc?: boolean;
}

/** The most of an unfinished output line held back for its end (64 KiB). */
const MAX_HELD_LINE = 64 * 1024;

export function createPlainReporter(opts: PlainReporterOptions): Reporter {
  // Level 1 (16 colours) at least: a colour-capable sink chalk did not detect (FORCE_COLOR) still gets colour.
  const paint = new Chalk({ level: opts.color ? (Math.max(1, chalk.level) as 1 | 2 | 3) : 0 });
  const lineOptions = { paint, verbose: opts.verbose ?? false, utc: opts.utc ?? false };
  let state = initialRunState();
  // Streamed output arrives in arbitrary chunks: hold each node's unfinished line.
  const partial = new Map<string, { text: string; at: string }>();

  const write = (lines: string[]) => {
    if (lines.length > 0) opts.out.write(`${lines.join('\n')}\n`);
  };
  const outputLine = (label: string, at: string, line: string) => {
    const visible = sanitizeTerminalText(
      line
        .split('\r')
        .filter((s) => s.length > 0)
        .pop() ?? '',
    );
    return `${paint.dim(formatClock(at, lineOptions.utc))} ${paint.dim(`${label} │`)} ${visible}`;
  };
  const flush = (label: string) => {
    const rest = partial.get(label);
    partial.delete(label);
    if (rest && rest.text.length > 0) write([outputLine(label, rest.at, rest.text)]);
  };

  return {
    onEvent(ev: RunEvent) {
      // Only the latest state is kept: fold in place (a copy per event is quadratic in nodes).
      state = reduceRunStateInPlace(state, ev);
      if (ev.type === 'node_output') {
        if (!lineOptions.verbose) return;
        const label = nodeLabel(ev.node, ev.instance);
        const pieces = ((partial.get(label)?.text ?? '') + ev.text).replace(/\r\n/g, '\n').split('\n');
        partial.set(label, { text: pieces.pop() ?? '', at: ev.at });
        write(pieces.filter((l) => l.length > 0).map((l) => outputLine(label, ev.at, l)));
        // A line that never ends (a cell printing without newlines) is shown in pieces, not held.
        if (partial.get(label)!.text.length > MAX_HELD_LINE) flush(label);
        return;
      }
      if (ev.type === 'attempt_failed' || ev.type === 'node_finished') flush(nodeLabel(ev.node, ev.instance));
      write(formatPlainEvent(ev, state, lineOptions));
    },
    async close() {
      for (const label of [...partial.keys()]) flush(label);
    },
  };
}
