// `flow show RUN`: one run's record — each node's status, why it was skipped, outputs, notebook, error.
import type { CommandModule } from 'yargs';

export interface ShowArgs {
  run: string;
  'runs-dir': string;
  json: boolean;
}

export const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <run>',
  describe: 'Show a recorded run (a run id, a unique prefix of one, or a run directory)',
  builder: (y) =>
    y
      .positional('run', { type: 'string', demandOption: true, describe: 'Run id or run directory' })
      .option('runs-dir', { type: 'string', default: 'runs', describe: 'Where runs are recorded' })
      .option('json', { type: 'boolean', default: false, describe: 'Print run.json' }) as never,
  handler: async (args) => {
    const [{ loadRunOrEvents }, { formatRun }] = await Promise.all([
      import('../../ledger/load-run.js'),
      import('../../report/format-run.js'),
    ]);
    const { record: run, problem } = await loadRunOrEvents(args.run, args['runs-dir']);
    if (problem) process.stderr.write(`warning: ${problem}: shown from events.ndjson, which may miss the run's last moments\n`);
    process.stdout.write(args.json ? `${JSON.stringify(run, null, 2)}\n` : formatRun(run));
    process.exitCode = 0;
  },
};
