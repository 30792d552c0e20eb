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
};
