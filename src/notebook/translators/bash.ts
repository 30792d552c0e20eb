// Bash parameter translator (papermill's BashTranslator: shlex.quote strings, arrays for lists).
import { floatDigits, refuse, translateWith, type Translator, type ValueSyntax } from './translator.js';

/** Python's `shlex.quote`. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

const syntax: ValueSyntax = {
  language: 'bash',
  none: () => '',
  bool: (v) => (v ? 'true' : 'false'),
  int: (digits) => digits,
  float: (v) => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : floatDigits(v)),
  str: (v, where) => {
    if (v.includes('\0')) refuse(where, 'bash', 'a string containing NUL (\\0)');
    if (/\p{Cs}/u.test(v)) refuse(where, 'bash', 'a string containing a lone surrogate');
    return shellQuote(v);
  },
  list: (items) => `(${items.map((i) => (i === '' ? "''" : i)).join(' ')})`,
  dict: (_entries, where) => refuse(where, 'bash', 'a dict'),
};

export const bashTranslator: Translator = {
  language: 'bash',
  comment: (text) => `# ${text}`.trim(),
  assign: (name, code) => `${name}=${code}`,
  translate: (value, where) => translateWith(syntax, value, where),
  isValidName: (name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name),
};
