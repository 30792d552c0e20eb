// `flow report`: finds the runs, writes the page, renders the notebooks it links, opens it.
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadRun } from '../ledger/load-run.js';

export interface FlowReportArgs {
  runs: string[];
  output?: string;
  open: boolean;
  'notebook-html': boolean;
  'runs-dir': string;
}

/** A run directory as given, or the one a run id names (a directory is taken as is, run.json or not). */
async function runDirOf(run: string, runsDir: string): Promise<string> {
  const isDir = await stat(run).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return isDir ? resolve(run) : (await loadRun(run, runsDir)).runDir;
}

export async function writeReport(args: FlowReportArgs): Promise<number> {
  const dirs = await Promise.all(args.runs.map((r) => runDirOf(r, args['runs-dir'])));
  let path: string;
  let missing: string[];
  if (dirs.length === 1) {
    const [{ writeRunReport }, { renderNotebooksHtml }] = await Promise.all([
      import('../summary/report-page.js'),
      import('../summary/render-notebooks.js'),
    ]);
    const written = await writeRunReport(dirs[0]!, { file: args.output && resolve(args.output), linkNotebookHtml: args['notebook-html'] });
    ({ path, missing } = written);
    if (args['notebook-html']) {
      try {
        await renderNotebooksHtml(dirs[0]!, written.notebooks);
      } catch (err) {
        process.stderr.write(`warning: the executed notebooks were not rendered to HTML: ${(err as Error).message}\n`);
      }
    }
  } else {
    const { writeComparisonReport } = await import('../summary/compare-page.js');
    ({ path, missing } = await writeComparisonReport(dirs, resolve(args.output ?? 'compare.html')));
  }
  for (const m of missing) process.stderr.write(`warning: ${m}\n`);
  process.stdout.write(`report: ${path}\n`);
  if (args.open) openInBrowser(path);
  return 0;
}

/** The desktop's opener, detached; where there is none, say how to open the page. */
function openInBrowser(path: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [path], { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`could not start ${opener}: open ${path} in a browser\n`));
  child.unref();
}
