// A workflow's text → every problem and warning loading it reports, as `wf.yml:line:col: message`.
import { formatDiagnostic, WorkflowError } from '../../src/errors.js';
import { parseWorkflow } from '../../src/run/load-workflow.js';

/** Loads `yaml` as /w/wf.yml (its notebooks not checked); the errors it throws, else its warnings. */
export async function workflowDiagnostics(yaml: string): Promise<string[]> {
  try {
    const { warnings } = await parseWorkflow(yaml, '/w/wf.yml', { checkNotebooks: false, displayName: 'wf.yml' });
    return warnings.map(formatDiagnostic);
  } catch (e) {
    if (e instanceof WorkflowError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
}
