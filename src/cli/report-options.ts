// Options of commands that show a run: which reporters, JUnit output, verbosity.
import type { Argv } from 'yargs';

export interface ReportArgs {
  reporter: 'auto' | 'ink' | 'plain' | 'json';
  junit?: string;
  verbose?: boolean;
}

export function withReportOptions<T>(y: Argv<T>): Argv<T & ReportArgs> {
  return y
    .option('reporter', {
      choices: ['auto', 'ink', 'plain', 'json'] as const,
      default: 'auto' as const,
      describe: 'auto: live view on a terminal, plain lines otherwise (or when CI is set)',
      group: 'Output:',
    })
    .option('junit', { type: 'string', describe: 'Also write JUnit XML (a testcase per node) to FILE', group: 'Output:' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'Show what running cells print', group: 'Output:' }) as Argv<
    T & ReportArgs
  >;
}
