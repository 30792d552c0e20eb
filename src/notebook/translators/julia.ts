// Julia parameter translator (papermill's JuliaTranslator, escaping `$` so strings do not interpolate).
import { floatDigits, hex, refuse, translateWith, type Translator, type ValueSyntax } from './translator.js';

function juliaString(s: string, where: string): string {
  return `"${s.replace(/[\\"$]|(?! )[\p{C}\p{Z}]/gu, (ch) => {
    if (ch === '\\' || ch === '"' || ch === '$') return `\\${ch}`;
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) refuse(where, 'Julia', 'a string containing a lone surrogate');
    return cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
  })}"`;
}

const syntax: ValueSyntax = {
  language: 'Julia',
  none: () => 'nothing',
  bool: (v) => (v ? 'true' : 'false'),
  int: (digits) => digits, // Julia widens a literal too big for Int64 to Int128 or BigInt
  float: (v) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : floatDigits(v)),
  str: juliaString,
  list: (items) => `[${items.join(', ')}]`,
  dict: (entries, where) => `Dict(${entries.map(([k, code]) => `${juliaString(k, where)} => ${code}`).join(', ')})`,
};

export const juliaTranslator: Translator = {
  language: 'Julia',
  comment: (text) => `# ${text}`.trim(),
  assign: (name, code) => `${name} = ${code}`,
  translate: (value, where) => translateWith(syntax, value, where),
};
