// The json reporter: one versioned NDJSON line per RunEvent.
import { describe, expect, it } from 'vitest';
import { EVENT_SCHEMA_VERSION } from '../../../src/events/run-event.js';
import { createJsonReporter, toEventLine } from '../../../src/report/json.js';
import { buildEventScript } from '../../helpers/event-script.js';

describe('json reporter', () => {
  it('writes every event as one line with "v" first', async () => {
    let out = '';
    const r = createJsonReporter({ out: { write: (s: string) => (out += s) } });
    const events = buildEventScript();
    for (const ev of events) r.onEvent(ev);
    await r.close();
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(events.length);
    expect(lines[1]).toBe('{"v":1,"type":"node_queued","at":"2026-11-26T09:30:00.000Z","node":"extract"}');
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.every((p) => p.v === EVENT_SCHEMA_VERSION)).toBe(true);
    expect(parsed.map((p) => p.type)).toEqual(events.map((e) => e.type));
  });

  it('turns CEL BigInt operands into numbers (strings beyond 2^53) instead of throwing', () => {
    const line = toEventLine({
      type: 'branch_decided',
      at: '2026-11-26T09:30:07.000Z',
      node: 'validate',
      chose: 'export',
      because: 'otherwise',
      operands: { 'outputs.errors': 0n, big: 2n ** 64n },
    });
    expect(line).toBe(
      '{"v":1,"type":"branch_decided","at":"2026-11-26T09:30:07.000Z","node":"validate","chose":"export","because":"otherwise",' +
        '"operands":{"outputs.errors":0,"big":"18446744073709551616"}}\n',
    );
  });

  it('keeps a text with newlines on one line', () => {
    const line = toEventLine({ type: 'node_output', at: 'x', node: 'a', attempt: 1, stream: 'stderr', text: 'a\nb\u2028' });
    expect(line.split('\n')).toHaveLength(2);
    expect(JSON.parse(line).text).toBe('a\nb\u2028');
  });
});
