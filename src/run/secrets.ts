// A run's secret values, read from where each secret param says (never from a record), and refused
// when missing or too short to mask.
import { readFileSync } from 'node:fs';
import { type Diagnostic, UsageError } from '../errors.js';
import { MIN_SECRET_LENGTH, Secrets } from '../workflow/secrets.js';
import type { ParamSpec, Workflow } from '../workflow/types.js';

export interface SecretOptions {
  /** Values given by the caller (the CLI's `-s NAME=VALUE`); they win over the declared sources. */
  given?: Readonly<Record<string, string>>;
  /** Where `from_env` is read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/**
 * The values of the workflow's secret params: given, else `from_file`, else `from_env`
 * (FLOW_SECRET_<NAME>), else the workflow's default (a demo value: said in a warning). Throws a
 * UsageError naming the param and where it looked; never shows a value.
 */
export function readSecrets(workflow: Workflow, o: SecretOptions, warn: (d: Diagnostic) => void): Secrets {
  const env = o.env ?? process.env;
  const values = new Map<string, string>();
  for (const name of Object.keys(o.given ?? {})) {
    if (!workflow.params[name]?.secret) {
      throw new UsageError(`-s ${name}: the workflow declares no secret param "${name}"`, 'declare it with `secret: true` under params');
    }
  }
  for (const spec of Object.values(workflow.params)) {
    if (!spec.secret) continue;
    const value = secretValue(spec, o.given?.[spec.name], env, warn);
    if (value.length < MIN_SECRET_LENGTH) {
      throw new UsageError(
        `secret param "${spec.name}" is shorter than ${MIN_SECRET_LENGTH} characters`,
        'masking it would hide ordinary text in every output: use a longer secret',
      );
    }
    values.set(spec.name, value);
  }
  return new Secrets(values);
}

function secretValue(spec: ParamSpec, given: string | undefined, env: NodeJS.ProcessEnv, warn: (d: Diagnostic) => void): string {
  const source = spec.secret!;
  if (given !== undefined) return given;
  if (source.fromFile) {
    try {
      return readFileSync(source.fromFile, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      if (code !== 'ENOENT' || !env[source.fromEnv]) {
        throw new UsageError(`secret param "${spec.name}": cannot read ${source.fromFile} (${code})`, `or set ${source.fromEnv}`);
      }
    }
  }
  const fromEnv = env[source.fromEnv];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (typeof spec.default === 'string') {
    warn({
      severity: 'warning',
      pos: spec.pos,
      message: `secret param "${spec.name}" uses the workflow's default, which is not a secret`,
      hint: `set ${source.fromEnv} for real data`,
    });
    return spec.default;
  }
  const where = [
    source.fromFile && `put it in ${source.fromFile}`,
    `set ${source.fromEnv}`,
    `pass -s ${spec.name}=VALUE (visible to other users)`,
  ];
  throw new UsageError(`secret param "${spec.name}" has no value`, where.filter(Boolean).join(', or '));
}
