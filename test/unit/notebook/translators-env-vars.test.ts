// Each translator's code for a node's env and for reading variables: the exact text, and run where the language is here (Python, bash).
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { PROBE_MARKER, parseOutputsProbe } from '../../../src/notebook/outputs-probe.js';
import { findTranslator } from '../../../src/notebook/translators/index.js';
import { runPython } from '../../helpers/python.js';

const t = (language: string) => findTranslator(language);

describe('setEnvironment', () => {
  test.each([
    ['python', 'import os as __flow_os\n__flow_os.environ.update({"A": "1", "B": "it\'s \\"x\\"\\n"})\ndel __flow_os'],
    ['R', 'invisible(Sys.setenv("A" = "1", "B" = "it\'s \\"x\\"\\n"))'],
    ['julia', 'ENV["A"] = "1"\nENV["B"] = "it\'s \\"x\\"\\n"\nnothing'],
    ['bash', "export A=1\nexport B='it'\"'\"'s \"x\"\n'"],
  ])('%s', (language, code) => {
    expect(t(language).setEnvironment!({ A: '1', B: 'it\'s "x"\n' })).toBe(code);
  });

  test('Julia escapes $ so a value does not interpolate', () => {
    expect(t('julia').setEnvironment!({ A: '$HOME' })).toBe('ENV["A"] = "\\$HOME"\nnothing');
  });

  test("bash: what bash_kernel would split a line on goes as $'…' bytes", () => {
    expect(t('bash').setEnvironment!({ A: 'a\u2028b', B: 'x\r\ny' })).toBe("export A=a$'\\342\\200\\250'b\nexport B=x$'\\015''\ny'");
  });

  test('bash refuses a name it cannot export', () => {
    expect(t('bash').isValidEnvName!('MY-VAR')).toBe(false);
    expect(() => t('bash').setEnvironment!({ 'MY-VAR': '1' })).toThrow(
      new UsageError('environment variable "MY-VAR" is not a valid bash variable name'),
    );
  });

  const tricky = { PLAIN: 'x', QUOTES: `it's "q" \\ $HOME \`id\``, LINES: 'a\nb\u2028c\r\x1e', EMPTY: '', UNICODE: 'é€😀' };

  test('Python: the kernel sees each value exactly', () => {
    const code = `${t('python').setEnvironment!(tricky)}\nimport json, os\nprint(json.dumps({k: os.environ[k] for k in ${JSON.stringify(Object.keys(tricky))}}))`;
    expect(JSON.parse(runPython(code))).toEqual(tricky);
  });

  test('bash: the shell exports each value exactly', () => {
    const code = `${t('bash').setEnvironment!(tricky)}\n${Object.keys(tricky)
      .map((k) => `printf '%s\\0' "$(printenv ${k}; echo .)"`)
      .join('\n')}`;
    const out = execFileSync('bash', ['-c', code], { encoding: 'utf8' }).split('\0').slice(0, -1);
    expect(out.map((v) => v.replace(/\n\.$/, ''))).toEqual(Object.values(tricky));
  });
});

describe('readVariables', () => {
  test('Python is the outputs probe, read from python/flow_jupyter/outputs_probe.py', () => {
    const code = t('python').readVariables!(['a', 'b']);
    expect(code).toMatch(/^# Reads declared outputs from a Python kernel/);
    expect(code).toContain('def _flow_outputs_probe(names, marker, namespace=None):');
    expect(code.endsWith('_flow_outputs_probe(["a","b"], "\\u001e__flow_outputs__ ")\ndel _flow_outputs_probe\n')).toBe(true);
    const stdout = runPython(`a = {"x": [1, 2.5]}\n${code}\nassert "_flow_outputs_probe" not in globals()`);
    expect(parseOutputsProbe(stdout)).toEqual({ values: { a: { x: [1, 2.5] } }, errors: {} });
  });

  test('R: jsonlite in local(), the marker printed with cat', () => {
    const code = t('R').readVariables!(['a', 'b']);
    expect(code).toContain('for (name in c("a", "b")) {');
    expect(code).toContain('flow_json <- function(x) jsonlite::toJSON(x, auto_unbox = TRUE, digits = NA, null = "null", na = "null")');
    expect(code).toContain('cat("\\u{001e}__flow_outputs__ ", "{", paste(entries, collapse = ","), "}\\n", sep = "")');
    expect(code.startsWith('local({\n')).toBe(true);
    expect(code.trimEnd().endsWith('invisible(NULL)\n})')).toBe(true);
  });

  test('Julia: IJulia.JSON in a let block, the marker printed to stdout', () => {
    const code = t('julia').readVariables!(['a', 'b']);
    expect(code).toContain('for flow_name in ["a", "b"]');
    expect(code).toContain('"{\\"value\\":" * IJulia.JSON.json(getfield(Main, flow_symbol)) * "}"');
    expect(code).toContain('print(stdout, "\\u001e__flow_outputs__ ", "{", join(flow_entries, ","), "}\\n")');
    expect(code.startsWith('let flow_entries = String[]\n')).toBe(true);
    expect(code.trimEnd().endsWith('nothing\nend')).toBe(true);
  });

  test('bash: strings, arrays and associative arrays come back exactly, and nothing is left defined', () => {
    const setup = [
      `s=$'it\\'s "q" \\\\ \\n é $flow 😀'`,
      'arr=(a "b c" "")',
      `declare -A assoc=([k1]=v1 ["k 2"]=$'\\x01' [__proto__]=p)`,
      'declare -i n=42',
      'declare empty',
    ].join('\n');
    const code = t('bash').readVariables!(['s', 'arr', 'assoc', 'n', 'empty', 'missing']);
    const after = 'declare -F __flow_read_variables __flow_b64; declare -p __flow_out 2>/dev/null; true';
    const stdout = execFileSync('bash', ['-c', `${setup}\necho noise\n${code}${after}`], { encoding: 'utf8' });
    expect(stdout.startsWith(`noise\n${PROBE_MARKER}{`)).toBe(true);
    expect(stdout.trimEnd().split('\n')).toHaveLength(2);
    const result = parseOutputsProbe(stdout)!;
    expect(result.errors).toEqual({});
    expect(result.values).toEqual({
      s: 'it\'s "q" \\ \n é $flow 😀',
      arr: ['a', 'b c', ''],
      assoc: { k1: 'v1', 'k 2': '\x01', ['__proto__']: 'p' },
      n: '42',
      empty: '',
    });
    expect(Object.hasOwn(result.values.assoc as object, '__proto__')).toBe(true);
  });

  test('bash refuses a name that is not a shell variable (it is written into the code)', () => {
    expect(() => t('bash').readVariables!(['a;rm'])).toThrow(new UsageError('output "a;rm" is not a valid bash variable name'));
  });

  test('bash reads strings, lists and objects only', () => {
    expect(t('bash').readableTypes).toEqual(['string', 'list', 'object', 'any']);
    expect(t('python').readableTypes).toBeUndefined();
  });
});
