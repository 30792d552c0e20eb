// Python translator: parameter values as Python literals that evaluate back to exactly them; env and the outputs probe.
import { outputsProbeCode } from '../outputs-probe.js';
import { floatDigits, hex, translateWith, type Translator, type ValueSyntax } from './translator.js';

const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except ' +
    'finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

/**
 * A Python string literal. Printable characters stay as they are (readable); backslash, quote,
 * controls, format characters, separators other than space, private-use and unassigned code points
 * are escaped. Line separators must be: IPython splits cells on them like `str.splitlines` does.
 * A lone surrogate (possible in a JS string) becomes `\udXXX`, which Python also holds as a lone
 * surrogate, so the value still round-trips.
 */
export function pythonString(s: string): string {
  return `"${s.replace(/[\\"]|(?! )[\p{C}\p{Z}]/gu, (ch) => {
    if (ch === '\\') return '\\\\';
    if (ch === '"') return '\\"';
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    const cp = ch.codePointAt(0)!;
    if (cp < 0x100) return `\\x${hex(cp, 2)}`;
    if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
    return `\\U${hex(cp, 8)}`;
  })}"`;
}

/**
 * ipykernel sends whatever a cell printed in the last 0.2 s as one message: a cell printing
 * 150 MB in 1 MB writes made messages of hundreds of MB, past what the websocket carries, and
 * the kernel held all of it. This makes each stdout/stderr OutStream of ipykernel flush as soon
 * as 1 MiB is pending, in messages of at most 1 MiB. It patches the instance (not the class, and
 * not `write`, which IPython 9 replaces per cell); any other kernel is left as it is.
 */
const BOUND_OUTPUT = `def __flow_bound_output():
    import sys
    most = 1 << 20
    for stream in (sys.stdout, sys.stderr):
        flush_buffers = getattr(stream, "_flush_buffers", None)
        schedule_flush = getattr(stream, "_schedule_flush", None)
        if flush_buffers is None or schedule_flush is None or not hasattr(stream, "_buffers"):
            continue
        def sliced(flush_buffers=flush_buffers, stream=stream):
            stream._flow_flush_soon = False
            for parent, data in flush_buffers():
                for start in range(0, len(data), most):
                    yield parent, data[start:start + most]
        def schedule(schedule_flush=schedule_flush, stream=stream):
            try:
                pending = sum(b.tell() for b in list(stream._buffers.values()))
            except (ValueError, RuntimeError):
                pending = 0
            if pending >= most and not getattr(stream, "_flow_flush_soon", False):
                stream._flow_flush_soon = True
                stream.pub_thread.schedule(stream._flush)
            schedule_flush()
        stream._flush_buffers = sliced
        stream._schedule_flush = schedule
__flow_bound_output()
del __flow_bound_output`;

const syntax: ValueSyntax = {
  language: 'Python',
  none: () => 'None',
  bool: (v) => (v ? 'True' : 'False'),
  int: (digits) => digits,
  float: (v) => {
    if (Number.isNaN(v)) return "float('nan')";
    if (v === Infinity) return "float('inf')";
    if (v === -Infinity) return "float('-inf')";
    if (Object.is(v, -0)) return '-0.0';
    return floatDigits(v);
  },
  str: (v) => pythonString(v),
  list: (items) => `[${items.join(', ')}]`,
  dict: (entries) => `{${entries.map(([k, code]) => `${pythonString(k)}: ${code}`).join(', ')}}`,
};

export const pythonTranslator: Translator = {
  language: 'Python',
  comment: (text) => `# ${text}`.trim(),
  assign: (name, code) => `${name} = ${code}`,
  translate: (value, where) => translateWith(syntax, value, where),
  isValidName: (name) => /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name) && !KEYWORDS.has(name),
  setEnvironment: (vars) => {
    const entries = Object.entries(vars).map(([k, v]) => `${pythonString(k)}: ${pythonString(v)}`);
    return `import os as __flow_os\n__flow_os.environ.update({${entries.join(', ')}})\ndel __flow_os`;
  },
  readVariables: (names) => outputsProbeCode([...names]),
  boundOutput: BOUND_OUTPUT,
};
