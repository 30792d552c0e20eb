// Injected parameter values must round-trip exactly through a real Python kernel.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JupyterServer } from '../../../src/kernel/jupyter-server.js';
import { KernelSession } from '../../../src/kernel/kernel-session.js';
import { translateParameters } from '../../../src/notebook/translators/index.js';
import { startTestServer } from '../../helpers/server.js';

let server: JupyterServer;
let kernel: KernelSession;
beforeAll(async () => {
  server = await startTestServer();
  kernel = await KernelSession.start({ endpoint: server });
});
afterAll(async () => {
  await kernel?.shutdown();
  await server?.stop();
});

/** Runs the injected cell, then reads `value` back as JSON (ensure_ascii keeps lone surrogates). */
async function roundTrip(value: unknown): Promise<unknown> {
  const code = `${translateParameters('python', { value })}import json as __j\nprint(__j.dumps(value, ensure_ascii=True, allow_nan=True))`;
  let out = '';
  const r = await kernel.execute(code, {
    onIOPub: (t, c) => {
      if (t === 'stream') out += (c as { text: string }).text;
    },
  });
  if (r.status !== 'ok') throw new Error(`kernel rejected ${code}: ${JSON.stringify(r)}`);
  return JSON.parse(
    out
      .replace(/\bNaN\b/g, '"__nan__"')
      .replace(/-Infinity\b/g, '"__-inf__"')
      .replace(/\bInfinity\b/g, '"__inf__"'),
  );
}

function normalize(v: unknown): unknown {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '__nan__';
    if (v === Infinity) return '__inf__';
    if (v === -Infinity) return '__-inf__';
  }
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

describe('Python translator through a real kernel', () => {
  it('round-trips arbitrary unicode strings (quotes, backslashes, newlines, controls, surrogates)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme' }),
          fc.constantFrom('"', "'''", '\\', '\\n', '\r\n', '\u2028', '\u0085', '\x00', '${{ x }}', '"""', '\ud800'),
        ),
        async (s) => {
          expect(await roundTrip(s)).toBe(s);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('round-trips nested JSON-like values, floats included', async () => {
    const leaf = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.boolean(), fc.constant(null), fc.integer(), fc.double());
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        const back = await roundTrip(v);
        expect(normalize(back)).toEqual(normalize(v));
      }),
      { numRuns: 100 },
    );
  });
});
