// Bash translator (papermill's BashTranslator: shlex.quote strings, arrays for lists); env by export, variables read as base64.
import { UsageError } from '../../errors.js';
import { PROBE_MARKER } from '../outputs-probe.js';
import { floatDigits, refuse, translateWith, type Translator, type ValueSyntax } from './translator.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What bash_kernel splits a cell into lines on (Python's `str.splitlines`), besides `\n`. */
const SPLITS_LINES = /[\r\v\f\x1c-\x1e\x85\u2028\u2029]/u;

/**
 * A bash word for `s` that survives bash_kernel: it sends a cell line by line, split as
 * `str.splitlines` splits, so each such character but `\n` (which bash reads on, inside quotes)
 * goes as `$'…'` octal UTF-8 bytes, between shell-quoted pieces.
 */
export function bashKernelWord(s: string): string {
  if (!SPLITS_LINES.test(s)) return shellQuote(s);
  const parts = s.split(new RegExp(`(${SPLITS_LINES.source})`, 'u'));
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return part === '' ? '' : shellQuote(part);
      const octal = [...Buffer.from(part, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
      return `$'${octal}'`;
    })
    .join('');
}

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
  isValidName: (name) => NAME.test(name),
  setEnvironment: (vars) =>
    Object.entries(vars)
      .map(([k, v]) => `export ${checkedName(k, 'environment variable')}=${bashKernelWord(checkedValue(v, k))}`)
      .join('\n'),
  isValidEnvName: (name) => NAME.test(name),
  readVariables: readBashVariables,
  // A shell variable is a string; an indexed array a list of strings, an associative one an object.
  readableTypes: ['string', 'list', 'object', 'any'],
};

/** What a bash variable cannot hold, as for parameters. */
function checkedValue(v: string, name: string): string {
  syntax.str(v, `env.${name}`);
  return v;
}

function checkedName(name: string, what: string): string {
  if (!NAME.test(name)) throw new UsageError(`${what} "${name}" is not a valid bash variable name`);
  return name;
}

/**
 * Bash has no JSON of its own: each string goes as base64 (printf | base64), in the tagged values
 * parseOutputsProbe decodes (`{"$flow": "b64"}`, and `"b64dict"` for an associative array's
 * key/value pairs), so that the JSON is made of base64, names and punctuation only. Runs in a
 * function (its variables are local) that is unset afterwards, as is its helper.
 */
function readBashVariables(names: readonly string[]): string {
  const blocks = names.map((name) => {
    const n = checkedName(name, 'output');
    return `  if __flow_d=$(declare -p ${n} 2>/dev/null); then
    __flow_d=\${__flow_d#declare -}
    case \${__flow_d%% *} in
      *A*)
        __flow_v='{"$flow":"b64dict","value":[' __flow_s=''
        for __flow_k in "\${!${n}[@]}"; do
          __flow_v+=$__flow_s'["'$(__flow_b64 "$__flow_k")'","'$(__flow_b64 "\${${n}[$__flow_k]}")'"]' __flow_s=','
        done
        __flow_v+=']}' ;;
      *a*)
        __flow_v='[' __flow_s=''
        for __flow_k in "\${${n}[@]}"; do
          __flow_v+=$__flow_s'{"$flow":"b64","value":"'$(__flow_b64 "$__flow_k")'"}' __flow_s=','
        done
        __flow_v+=']' ;;
      *) __flow_v='{"$flow":"b64","value":"'$(__flow_b64 "\${${n}-}")'"}' ;;
    esac
    __flow_out+=$__flow_sep'"${n}":{"value":'$__flow_v'}' __flow_sep=','
  fi`;
  });
  const marker = PROBE_MARKER.replace('\u001e', '\\x1e');
  return `__flow_b64() { printf '%s' "$1" | base64 | tr -d '\\n'; }
__flow_read_variables() {
  local __flow_d __flow_v __flow_s __flow_k __flow_out='' __flow_sep=''
${blocks.join('\n')}
  printf '%s{%s}\\n' $'${marker}' "$__flow_out"
}
__flow_read_variables
unset -f __flow_read_variables __flow_b64
`;
}
