// `flow runs [WORKFLOW]`: the recorded runs, newest first.
import type { CommandModule } from 'yargs';

export interface RunsArgs {
  workflow?: string;
  'runs-dir': string;
  json: boolean;
}

export const runsCommand: CommandModule<object, RunsArgs> = {
  command: 'runs [workflow]',
  describe: 'List recorded runs, newest first',
  builder: (y) =>
    y
      .positional('workflow', { type: 'string', describe: 'Only runs of this workflow (its name)' })
      .option('runs-dir', { type: 'string', default: 'runs', describe: 'Where runs are recorded' })
      .option('json', { type: 'boolean', default: false, describe: 'One JSON array of runs' }) as never,
  handler: async (args) => {
    const [{ listRuns }, { formatRunList }] = await Promise.all([
      import('../../ledger/list-runs.js'),
      import('../../report/format-run-list.js'),
    ]);
    const runs = await listRuns(args['runs-dir'], args.workflow);
    process.stdout.write(args.json ? `${JSON.stringify(runs, null, 2)}\n` : formatRunList(runs, args['runs-dir']));
    process.exitCode = 0;
  },
};
