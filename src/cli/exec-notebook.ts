// The body of `flow exec`: one notebook, papermill's behaviour and messages.
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ExitCode, interruptExitCode, UsageError } from '../errors.js';
import { defaultSecretEnv, MIN_SECRET_LENGTH, Secrets } from '../workflow/secrets.js';
import { executeNotebook } from '../kernel/execute-notebook.js';
import type { JupyterServer } from '../kernel/jupyter-server.js';
import { KernelPool } from '../kernel/kernel-pool.js';
import { listKernelspecs } from '../kernel/kernel-session.js';
import { injectParameters } from '../notebook/inject-parameters.js';
import { notebookKernel, readNotebook } from '../notebook/read-notebook.js';
import { collectCliParams } from './collect-params.js';
import { trapInterrupts } from './interrupts.js';
import type { ServerHandle } from '../run/server-handle.js';
import { prelaunchKernel } from '../run/warm-up.js';
import { takeEarlyServer } from './early-server.js';
import type { JupyterArgs } from './jupyter-options.js';

/** `flow exec`'s arguments, as yargs parses them. */
export interface ExecArgs extends JupyterArgs {
  input: string;
  output?: string;
  parameters?: string[];
  parametersRaw?: string[];
  parametersFile?: string[];
  parametersYaml?: string[];
  prepareOnly?: boolean;
  reportMode?: boolean;
  cwd?: string;
  kernel?: string;
  executionTimeout?: number;
  cellTimeout?: number;
  startTimeout?: number;
  logOutput?: boolean;
  secret?: string[];
}

/** NAME.ipynb → NAME.out.ipynb beside it. */
export function defaultOutputPath(input: string): string {
  const ext = extname(input);
  return join(dirname(input), `${basename(input, ext)}.out${ext || '.ipynb'}`);
}

export async function runExec(
  args: ExecArgs,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const input = resolve(args.input);
  const output = resolve(args.output ?? defaultOutputPath(input));
  const params = collectCliParams({
    files: args.parametersFile,
    yaml: args.parametersYaml,
    params: args.parameters?.flat(),
    raw: args.parametersRaw?.flat(),
  });
  const secretParams = execSecrets(args.secret, err);
  for (const name of Object.keys(secretParams)) delete params[name];
  // Every problem with the notebook or the parameters is reported before any server starts.
  const nb = await readNotebook(input);
  const kernel = notebookKernel(nb);
  const kernelName = args.kernel ?? kernel.name;
  if (kernelName === undefined) {
    throw new UsageError(`${input} has no kernelspec (metadata.kernelspec.name)`, 'name a kernel with -k, e.g. -k python3');
  }
  injectParameters(nb, params, { language: kernel.language, kernelName });
  const cwd = resolve(args.cwd ?? dirname(input));
  const interrupts = trapInterrupts((sig) => err.write(`\n${sig}: stopping the kernel and saving ${output} …\n`));
  let early: ServerHandle | undefined;
  try {
    // Started by the entry point already, while the notebook was read.
    early = args.prepareOnly ? undefined : takeEarlyServer(args);
    if (early) prelaunchKernel(kernelName, cwd, early.prelaunch);
    const server = await early?.server;
    if (server) await checkKernelExists(server, kernelName, args.kernel !== undefined);
    const pool = server
      ? new KernelPool({ endpoint: server, embedded: server.embedded, startTimeoutMs: (args.startTimeout ?? 60) * 1000 })
      : undefined;
    const timeout = args.executionTimeout ?? args.cellTimeout;
    const result = await executeNotebook({
      inputPath: input,
      outputPath: output,
      params,
      kernelName,
      getKernel: (name) => pool!.acquire(name, cwd),
      // The embedded server is stopped next, and its stop ends the kernel (and waits for it).
      releaseKernel: server?.embedded ? async () => {} : undefined,
      cellTimeoutMs: timeout !== undefined && timeout > 0 ? timeout * 1000 : undefined,
      secrets: Object.keys(secretParams).length > 0 ? { params: secretParams, mask: new Secrets(secretParams) } : undefined,
      signal: interrupts.signal,
      prepareOnly: args.prepareOnly,
      reportMode: args.reportMode,
      warn: (m) => err.write(`warning: ${m}\n`),
      onProgress: args.logOutput
        ? (p) => {
            if (p.kind === 'output') err.write(p.text);
          }
        : undefined,
    });
    if (result.ok) {
      out.write(`${args.prepareOnly ? 'prepared' : 'executed'}: ${output}\n`);
      return ExitCode.ok;
    }
    if (interrupts.received) {
      err.write(`interrupted; the partial notebook is at ${output}\n`);
      return interruptExitCode(interrupts.received);
    }
    const e = result.error;
    const where = e.cell !== undefined ? ` in cell ${e.cell + 1}${e.executionCount ? ` (In [${e.executionCount}])` : ''}` : '';
    const what = e.ename ? `${e.ename}: ${e.evalue ?? e.message}` : e.message;
    err.write(`error: ${basename(input)} failed${where}: ${what}\n`);
    err.write(`the executed notebook is at ${output}\n`);
    return ExitCode.nodeFailed;
  } finally {
    interrupts.dispose();
    await early?.stop();
  }
}

/**
 * `--secret NAME` (its value from $FLOW_SECRET_NAME) and `--secret NAME=VALUE` (with a warning:
 * command lines are visible to every user): parameters set as secrets, masked in every output.
 */
function execSecrets(list: string[] | undefined, err: NodeJS.WritableStream): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    let value: string | undefined;
    if (eq < 0) {
      const env = defaultSecretEnv(name);
      value = process.env[env];
      if (!value) throw new UsageError(`--secret ${name}: ${env} is not set`, `export ${env}=… first`);
    } else {
      value = item.slice(eq + 1);
      err.write(
        `warning: --secret ${name}=…: a secret on the command line can be read by every user of this machine — set ${defaultSecretEnv(name)} and pass --secret ${name}\n`,
      );
    }
    if (value.length < MIN_SECRET_LENGTH) {
      throw new UsageError(
        `--secret ${name} is shorter than ${MIN_SECRET_LENGTH} characters`,
        'masking it would hide ordinary text: use a longer secret',
      );
    }
    out[name] = value;
  }
  return out;
}

/** An unknown kernel name is a usage error (exit 2) naming the kernels there are, before any kernel starts. */
async function checkKernelExists(server: JupyterServer, name: string, fromFlag: boolean): Promise<void> {
  const specs = await listKernelspecs(server);
  if (specs.length === 0 || specs.includes(name)) return;
  const source = fromFlag ? `-k ${name}` : `the notebook's kernelspec "${name}"`;
  throw new UsageError(
    `${source}: no such kernel on the Jupyter server (available: ${specs.join(', ')})`,
    fromFlag ? 'pick one of those with -k' : 'pick one of those with -k, or install that kernel',
  );
}
