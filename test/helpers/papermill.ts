// Papermill's and scrapbook's own Python code, for checking that what flow writes is what they write and read.
import { execa } from 'execa';
import { venvPython } from './validate-notebook.js';

export interface PapermillJob {
  input: string;
  output: string;
  params?: Record<string, unknown>;
  cwd?: string;
}

const RUN_SCRIPT = `
import json, sys, papermill
from papermill.exceptions import PapermillExecutionError
results = []
for job in json.load(sys.stdin):
    try:
        papermill.execute_notebook(job["input"], job["output"], parameters=job.get("params") or {},
                                   cwd=job.get("cwd"), progress_bar=False, log_output=False)
        results.append(None)
    except PapermillExecutionError as e:
        results.append({"ename": e.ename, "evalue": e.evalue, "exec_count": e.exec_count})
print(json.dumps(results))
`;

/** Runs papermill on each job in one Python process; the result is null or papermill's error, per job. */
export async function runPapermill(jobs: PapermillJob[]): Promise<({ ename: string; evalue: string } | null)[]> {
  const { stdout } = await execa(venvPython, ['-c', RUN_SCRIPT], { input: JSON.stringify(jobs) });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

/** What papermill's loader and scrapbook's reader make of one notebook. */
export interface ReadBack {
  /** scrapbook.read_notebook(path).scraps, as name → data. */
  scraps: Record<string, unknown>;
  /** papermill.iorw.load_notebook_node(path).metadata.papermill. */
  papermill: Record<string, unknown>;
  /** Each cell's metadata.papermill.status as papermill's loader sees it. */
  statuses: (string | null)[];
}

const READ_SCRIPT = `
import json, sys
import scrapbook
from papermill.iorw import load_notebook_node
out = []
for path in sys.argv[1:]:
    nb = load_notebook_node(path)
    scraps = {name: scrap.data for name, scrap in scrapbook.read_notebook(path).scraps.items()}
    out.append({"scraps": scraps, "papermill": nb.metadata.papermill,
                "statuses": [c.metadata.get("papermill", {}).get("status") for c in nb.cells]})
print(json.dumps(out, default=str))
`;

/** Reads notebooks with papermill's and scrapbook's code, in one Python process. */
export async function readWithPapermill(paths: string[]): Promise<ReadBack[]> {
  const { stdout } = await execa(venvPython, ['-c', READ_SCRIPT, ...paths]);
  return JSON.parse(stdout.trim().split('\n').pop()!);
}
