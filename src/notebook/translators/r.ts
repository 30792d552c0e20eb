// R translator (papermill's RTranslator, with strings and special floats that R reads back exactly); env, and variables read with jsonlite.
import { PROBE_MARKER } from '../outputs-probe.js';
import { floatDigits, hex, refuse, translateWith, type Translator, type ValueSyntax } from './translator.js';

function rString(s: string, where: string): string {
  return `"${s.replace(/[\\"]|(?! )[\p{C}\p{Z}]/gu, (ch) => {
    if (ch === '\\') return '\\\\';
    if (ch === '"') return '\\"';
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    const cp = ch.codePointAt(0)!;
    // R strings cannot hold NUL, and its \u escapes reject surrogates.
    if (cp === 0) refuse(where, 'R', 'a string containing NUL (\\0)');
    if (cp >= 0xd800 && cp <= 0xdfff) refuse(where, 'R', 'a string containing a lone surrogate');
    // \x would make a byte in the native encoding, not a character: use \u{} always.
    return cp < 0x10000 ? `\\u{${hex(cp, 4)}}` : `\\U{${hex(cp, 8)}}`;
  })}"`;
}

const syntax: ValueSyntax = {
  language: 'R',
  none: () => 'NULL',
  bool: (v) => (v ? 'TRUE' : 'FALSE'),
  int: (digits) => digits,
  float: (v) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : floatDigits(v)),
  str: rString,
  list: (items) => `list(${items.join(', ')})`,
  dict: (entries, where) => `list(${entries.map(([k, code]) => `${rString(k, where)} = ${code}`).join(', ')})`,
};

export const rTranslator: Translator = {
  language: 'R',
  comment: (text) => `# ${text}`.trim(),
  // Leading '_' is not legal in R names: papermill drops it, and so do we.
  assign: (name, code) => `${name.replace(/^_+/, '')} = ${code}`,
  translate: (value, where) => translateWith(syntax, value, where),
  setEnvironment: (vars) =>
    `invisible(Sys.setenv(${Object.entries(vars)
      .map(([k, v]) => `${rString(k, `env.${k}`)} = ${rString(v, `env.${k}`)}`)
      .join(', ')}))`,
  readVariables: readRVariables,
};

/**
 * With jsonlite (IRkernel's own dependency): vectors of length 1 become scalars (auto_unbox), NA
 * and NULL null, doubles at jsonlite's full precision (digits = NA); what it cannot convert (a
 * function, an environment) is that variable's error. Runs in `local()`: defines nothing.
 */
function readRVariables(names: readonly string[]): string {
  const list = names.map((n) => rString(n, n)).join(', ');
  return `local({
  flow_json <- function(x) jsonlite::toJSON(x, auto_unbox = TRUE, digits = NA, null = "null", na = "null")
  entries <- character(0)
  for (name in c(${list})) {
    if (!exists(name, envir = globalenv(), inherits = FALSE)) next
    entry <- tryCatch(
      paste0("{\\"value\\":", flow_json(get(name, envir = globalenv())), "}"),
      error = function(e) paste0("{\\"error\\":", flow_json(conditionMessage(e)), "}")
    )
    entries <- c(entries, paste0(flow_json(name), ":", entry))
  }
  cat(${rString(PROBE_MARKER, 'marker')}, "{", paste(entries, collapse = ","), "}\\n", sep = "")
  invisible(NULL)
})
`;
}
