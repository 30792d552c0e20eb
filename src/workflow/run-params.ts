// The run's parameter values: declared defaults overridden by -f files, -y YAML, -p and -r (read
// by param-sources.ts, as `flow exec` reads them) and typed values, each checked against its declaration.
import { WorkflowError } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { type ParamSources, readParamSources } from './param-sources.js';
import { coerceToType, showValue } from './param-types.js';
import { secretToken } from './secrets.js';
import type { ParamSpec, Workflow } from './types.js';
import { asFloat, plainValue } from './whole-float.js';

/** Where a run's params come from: command-line sources, and typed values (which win). */
export interface RunParamSources extends ParamSources {
  /** Values already typed (the library's `params` option); highest precedence. */
  values?: Record<string, unknown>;
}

/** The run's params, declared order; throws WorkflowError listing every problem. */
export function resolveRunParams(workflow: Workflow, o: RunParamSources): Record<string, unknown> {
  const { given, diagnostics: diags } = readParamSources(o);
  for (const [k, v] of Object.entries(o.values ?? {})) given.set(k, { value: v, from: `params.${k}` });
  const declared = workflow.params;
  const out: Record<string, unknown> = {};
  for (const [name, g] of given) {
    const spec = declared[name];
    const error = (message: string, hint?: string): void => {
      diags.push({ severity: 'error', ...(g.pos && { pos: g.pos }), message: `${message} (from ${g.from})`, hint });
    };
    if (!spec) {
      const names = Object.keys(declared);
      error(
        `unknown param "${name}"`,
        didYouMean(name, names) ?? (names.length ? `declared params: ${names.join(', ')}` : 'the workflow declares no params'),
      );
      continue;
    }
    if (spec.secret) {
      // Said without the value (`-p salt`, not `-p salt=…`): error output ends up in CI logs.
      diags.push({
        severity: 'error',
        ...(g.pos && { pos: g.pos }),
        message: `param "${name}" is a secret: it is not taken from -p, -r, -f, -y or params (from ${g.from.split('=')[0]})`,
        hint: `set ${spec.secret.fromEnv}${spec.secret.fromFile ? `, or put it in ${spec.secret.fromFile}` : ''} (or pass -s ${name}=VALUE)`,
      });
      continue;
    }
    const coerced = coerceToType(g.value, spec.type, g.text);
    if (!coerced) {
      error(`param "${name}" expects ${/^[aeiou]/.test(spec.type) ? 'an' : 'a'} ${spec.type}, got ${showValue(g.value)}`);
      continue;
    }
    if (spec.enum && !spec.enum.some((e) => e === plainValue(coerced.value))) {
      const options = spec.enum.map(String);
      error(
        `param "${name}" must be one of ${options.join(', ')}, got ${showValue(coerced.value)}`,
        typeof coerced.value === 'string' ? didYouMean(coerced.value, options) : undefined,
      );
      continue;
    }
    out[name] = declaredValue(spec, coerced.value);
  }
  const ordered: Record<string, unknown> = {};
  for (const spec of Object.values(declared)) {
    // A secret's value is read by the run (run/secrets.ts); everything else sees its stand-in.
    if (spec.secret) ordered[spec.name] = secretToken(spec.name);
    else if (Object.hasOwn(out, spec.name)) ordered[spec.name] = out[spec.name];
    else if (given.has(spec.name)) continue;
    else if (spec.default !== undefined) ordered[spec.name] = declaredValue(spec, spec.default);
    else if (spec.required) {
      diags.push({
        severity: 'error',
        message: `param "${spec.name}" is required and has no default`,
        hint: `pass it with -p ${spec.name}=VALUE`,
      });
    }
  }
  if (diags.length) throw new WorkflowError(diags);
  return ordered;
}

/** A `number` param holds a float: a whole value is injected as `2.0`, not `2` (see WholeFloat). */
export function declaredValue(spec: Pick<ParamSpec, 'type'>, value: unknown): unknown {
  return spec.type === 'number' ? asFloat(value) : value;
}
