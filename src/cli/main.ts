#!/usr/bin/env node
// flow's entry point: yargs wiring only; every command's work lives in its own module.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { createRequire } from 'node:module';
import { commands } from './commands/index.js';
import { handleError } from './handle-error.js';
import { ExitCode } from '../errors.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

async function main(argv: string[]): Promise<void> {
  let parser = yargs(argv)
    .scriptName('flow')
    .usage('$0 <command> [options]\n\nRun a workflow of Jupyter notebooks as a DAG.')
    .version(version)
    .alias('h', 'help')
    .alias('V', 'version')
    .strict()
    .demandCommand(1, 'Name a command: flow run WORKFLOW.yml, or see flow --help.')
    .recommendCommands()
    .wrap(Math.min(100, process.stdout.columns || 80))
    .epilogue('Exit codes: 0 success, 1 a node failed, 2 invalid workflow or usage, 130 interrupted.')
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`error: ${msg}\nSee flow --help.\n`);
      process.exit(ExitCode.invalid);
    });
  for (const c of commands) parser = parser.command(c);
  await parser.parseAsync();
}

main(hideBin(process.argv))
  .catch((err: unknown) => {
    process.exitCode = handleError(err);
  })
  .finally(() => {
    // Exit as soon as the work is done: fetch's keep-alive sockets and the kernel client's
    // timers would otherwise hold the process open for seconds. Exit once stdout has drained.
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    process.stdout.write('', () => process.exit(code));
  });
