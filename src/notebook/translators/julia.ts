// Julia translator (papermill's JuliaTranslator, escaping `$` so strings do not interpolate); env, and variables read as JSON.
import { PROBE_MARKER } from '../outputs-probe.js';
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
  setEnvironment: (vars) =>
    `${Object.entries(vars)
      .map(([k, v]) => `ENV[${juliaString(k, `env.${k}`)}] = ${juliaString(v, `env.${k}`)}`)
      .join('\n')}\nnothing`,
  readVariables: readJuliaVariables,
};

/**
 * Untested: no Julia kernel in flow's test environment. Uses the JSON package IJulia itself
 * depends on and loads (`IJulia.JSON`), so that the notebook needs no JSON of its own; what
 * JSON.json cannot convert is that variable's error. Runs in `let`: defines nothing in Main.
 */
function readJuliaVariables(names: readonly string[]): string {
  const list = names.map((n) => juliaString(n, n)).join(', ');
  return `let flow_entries = String[]
    for flow_name in [${list}]
        flow_symbol = Symbol(flow_name)
        isdefined(Main, flow_symbol) || continue
        flow_entry = try
            "{\\"value\\":" * IJulia.JSON.json(getfield(Main, flow_symbol)) * "}"
        catch flow_error
            "{\\"error\\":" * IJulia.JSON.json(sprint(showerror, flow_error)) * "}"
        end
        push!(flow_entries, IJulia.JSON.json(flow_name) * ":" * flow_entry)
    end
    print(stdout, ${juliaString(PROBE_MARKER, 'marker')}, "{", join(flow_entries, ","), "}\\n")
    flush(stdout)
    nothing
end
`;
}
