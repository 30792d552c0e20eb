// Options every command that runs notebooks shares: where Jupyter is.
import type { Argv } from 'yargs';

export interface JupyterArgs {
  jupyter?: string;
  serverUrl?: string;
  /** false (`--no-fork`): every kernel is launched, none forked. */
  fork?: boolean;
}

export function withJupyterOptions<T>(y: Argv<T>): Argv<T & JupyterArgs> {
  return y
    .option('jupyter', {
      type: 'string',
      describe: 'The jupyter executable (or a venv holding it). Default: $FLOW_JUPYTER, ./.venv, then PATH',
      group: 'Jupyter:',
    })
    .option('server-url', {
      type: 'string',
      describe: 'Run kernels on an existing Jupyter Server/Hub/Gateway (token from $JUPYTER_TOKEN)',
      group: 'Jupyter:',
    })
    .option('fork', {
      type: 'boolean',
      describe: 'Fork Python kernels from a process that has imported ipykernel (--no-fork: launch each anew; also $FLOW_FORK=0)',
      group: 'Jupyter:',
    }) as Argv<T & JupyterArgs>;
}
