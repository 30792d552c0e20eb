// report.html written by a child process at a run's end, so that the graphics libraries (Graphviz
// compiled to WebAssembly, Vega: ≈50 MB, measured) never add to the memory of the process that ran
// the notebooks, and a crash in them cannot take that process down.
//   node write-report-process.js RUN_DIR [--link-notebook-html]
// prints {"notebooks": [...], "missing": [...]} on success.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Writes `<runDir>/report.html` in a child process; resolves with what the report read. */
export function writeRunReportInChild(
  runDir: string,
  opts: { linkNotebookHtml: boolean },
): Promise<{ notebooks: string[]; missing: string[] }> {
  return new Promise((resolve, reject) => {
    const args = [fileURLToPath(import.meta.url), runDir, ...(opts.linkNotebookHtml ? ['--link-notebook-html'] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) {
        try {
          resolve(JSON.parse(out) as { notebooks: string[]; missing: string[] });
          return;
        } catch {
          // reported below
        }
      }
      reject(new Error(err.trim().split('\n').at(-1) || `the report's process ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}

async function main(argv: string[]): Promise<void> {
  const { writeRunReport } = await import('./report-page.js');
  const written = await writeRunReport(argv[0]!, { linkNotebookHtml: argv.includes('--link-notebook-html') });
  process.stdout.write(JSON.stringify({ notebooks: written.notebooks, missing: written.missing }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
}
