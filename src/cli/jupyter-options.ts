// Options every command that runs notebooks shares: where Jupyter is.
import type { Argv } from 'yargs';

export interface JupyterArgs {
  jupyter?: string;
  serverUrl?: string;
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
    }) as Argv<T & JupyterArgs>;
}
