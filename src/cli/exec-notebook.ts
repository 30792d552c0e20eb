// The body of `flow exec`: one notebook, papermill's behaviour and messages.
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import { connectJupyter } from '../kernel/connect.js';
import { executeNotebook } from '../kernel/execute-notebook.js';
import { KernelPool } from '../kernel/kernel-pool.js';
import { readNotebook } from '../notebook/read-notebook.js';
import { collectCliParams } from './collect-params.js';
import type { ExecArgs } from './commands/exec.js';
import { interruptExitCode, trapInterrupts } from './interrupts.js';

/** NAME.ipynb → NAME.out.ipynb beside it. */
export function defaultOutputPath(input: string): string {
  const ext = extname(input);
  return join(dirname(input), `${basename(input, ext)}.out${ext || '.ipynb'}`);
}

export async function runExec(args: ExecArgs, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const input = resolve(args.input);
  const output = resolve(args.output ?? defaultOutputPath(input));
  const params = collectCliParams({
    files: args.parametersFile,
    yaml: args.parametersYaml,
    params: args.parameters?.flat(),
    raw: args.parametersRaw?.flat(),
  });
  // Fail on a bad notebook before starting any server.
  await readNotebook(input);
  const cwd = resolve(args.cwd ?? dirname(input));
  const interrupts = trapInterrupts((sig) => err.write(`\n${sig}: stopping the kernel and saving ${output} …\n`));
  const server = args.prepareOnly ? undefined : await connectJupyter({ jupyter: args.jupyter, serverUrl: args.serverUrl });
  try {
    const pool = server ? new KernelPool({ endpoint: server, embedded: server.embedded, startTimeoutMs: (args.startTimeout ?? 60) * 1000 }) : undefined;
    const timeout = args.executionTimeout ?? args.cellTimeout;
    const result = await executeNotebook({
      inputPath: input,
      outputPath: output,
      params,
      kernelName: args.kernel,
      getKernel: (name) => pool!.acquire(name, cwd),
      cellTimeoutMs: timeout !== undefined && timeout > 0 ? timeout * 1000 : undefined,
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
    err.write(`error: ${basename(input)} failed${where}: ${e.ename ?? e.errorClass}: ${e.evalue ?? e.message}\n`);
    err.write(`the executed notebook is at ${output}\n`);
    return ExitCode.nodeFailed;
  } finally {
    interrupts.dispose();
    await server?.stop();
  }
}
