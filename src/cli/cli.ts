// flow's command line: yargs wiring only; every command's work lives in its own module.
import yargs from 'yargs';
import { withCommands } from './commands/index.js';
import { UsageError } from '../errors.js';
import { packageVersion } from '../package-root.js';

export async function main(argv: string[]): Promise<void> {
  const parser = yargs(argv)
    .scriptName('flow')
    .usage('$0 <command> [options]\n\nRun a workflow of Jupyter notebooks as a DAG.')
    .version(packageVersion())
    .alias('h', 'help')
    .alias('V', 'version')
    .strict()
    .demandCommand(1, 'Name a command: flow run WORKFLOW.yml, or see flow --help.')
    .recommendCommands()
    .wrap(Math.min(100, process.stdout.columns || 80))
    .epilogue(
      'Exit codes: 0 success, 1 a node failed, 2 invalid workflow or usage, 70 a bug in flow (please report it), 130 interrupted (143 on SIGTERM).',
    )
    .fail((msg, err) => {
      if (err) throw err;
      // Thrown, not exited: a server the entry point started is stopped on the way out.
      throw new UsageError(msg, 'see flow --help');
    });
  await withCommands(parser).parseAsync();
}
