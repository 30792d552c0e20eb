// `flow validate WORKFLOW.yml`: every problem of a workflow at once, for people or (--json) editors and CI.
import type { CommandModule } from 'yargs';
import type { Diagnostic } from '../../errors.js';

export interface ValidateArgs {
  workflow: string;
  json?: boolean;
  notebooks?: boolean;
}

/** One diagnostic as `--json` prints it: flat, with 1-based line and col. */
function toJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    ...(d.pos && { file: d.pos.file, line: d.pos.line, col: d.pos.col }),
    message: d.message,
    ...(d.hint && { hint: d.hint }),
  };
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <workflow>',
  describe: 'Check a workflow without running it (exit 0 valid, 2 invalid)',
  builder: (y) =>
    y
      .positional('workflow', { type: 'string', demandOption: true, describe: 'Workflow YAML file' })
      .option('json', { type: 'boolean', describe: 'Print {valid, diagnostics: [{severity, file, line, col, message, hint}]} on stdout' })
      .option('notebooks', { type: 'boolean', default: true, describe: 'Check the notebooks too (--no-notebooks skips it)' })
      .example('$0 validate workflows/hesa-return.yml', '')
      .example('$0 validate wf.yml --json | jq .diagnostics', '') as never,
  handler: async (args) => {
    const [{ loadWorkflow }, { buildPlan }, { FlowError, WorkflowError, formatDiagnostic }] = await Promise.all([
      import('../../run/load-workflow.js'),
      import('../../graph/build-plan.js'),
      import('../../errors.js'),
    ]);
    let diagnostics: Diagnostic[];
    let summary = '';
    try {
      const { workflow, warnings } = await loadWorkflow(args.workflow, { checkNotebooks: args.notebooks ?? true });
      const plan = buildPlan(workflow);
      diagnostics = [...warnings, ...plan.warnings];
      const nodes = Object.keys(workflow.nodes).length;
      const params = Object.keys(workflow.params).length;
      summary = `${args.workflow}: valid (${nodes} node${nodes === 1 ? '' : 's'}, ${params} param${params === 1 ? '' : 's'})`;
    } catch (err) {
      if (!args.json) throw err;
      if (err instanceof WorkflowError) diagnostics = err.diagnostics;
      else if (err instanceof FlowError) diagnostics = [{ severity: 'error', message: err.message }];
      else throw err;
    }
    const valid = !diagnostics.some((d) => d.severity === 'error');
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ valid, file: args.workflow, diagnostics: diagnostics.map(toJson) }, null, 2)}\n`);
    } else {
      for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      process.stdout.write(`${summary}\n`);
    }
    process.exitCode = valid ? 0 : 2;
  },
};
