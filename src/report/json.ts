// The json reporter: every RunEvent as one NDJSON line, versioned (docs/events.md).
import { EVENT_SCHEMA_VERSION, type RunEvent } from '../events/run-event.js';
import { jsonReplacer } from './format.js';
import type { Reporter, TextSink } from './reporter.js';

/** One NDJSON line (with its newline): `{"v":1,"type":…,…}`; BigInt values become numbers. */
export function toEventLine(ev: RunEvent): string {
  return `${JSON.stringify({ v: EVENT_SCHEMA_VERSION, ...ev }, jsonReplacer)}\n`;
}

export function createJsonReporter(opts: { out: TextSink }): Reporter {
  return {
    onEvent(ev) {
      opts.out.write(toEventLine(ev));
    },
    async close() {},
  };
}
