// Executed notebooks rendered to HTML by nbconvert, from the Python environment flow's Jupyter
// runs in, into `<run dir>/html/`, next to report.html (which links them).
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { findJupyter } from '../kernel/find-jupyter.js';
import { jupyterPython } from '../kernel/jupyter-server.js';
import { pythonDir } from '../python-package.js';

/** Where the HTML of an executed notebook is kept. */
export function notebookHtmlPath(runDir: string, notebook: string): string {
  return join(runDir, 'html', `${basename(notebook).replace(/\.ipynb$/, '')}.html`);
}

export interface RenderNotebooksOptions {
  /** The `jupyter` executable (or its venv) whose Python has nbconvert. @default as the embedded server finds it */
  jupyter?: string;
  /**
   * Leave the renderer running after this returns (a run's end must not wait ≈1 s per notebook
   * for pages only a person opens later). @default false: resolves when every page is written
   */
  detached?: boolean;
}

/**
 * Renders `notebooks` to `<runDir>/html/<name>.html` in one Python process. A notebook nbconvert
 * cannot render gets a page saying why, so that every link of the report leads somewhere.
 * Rejects when no Python with nbconvert is found, or (not detached) when the renderer fails.
 */
export async function renderNotebooksHtml(runDir: string, notebooks: readonly string[], opts: RenderNotebooksOptions = {}): Promise<void> {
  if (notebooks.length === 0) return;
  const { jupyter } = findJupyter({ explicit: opts.jupyter });
  const python = jupyterPython(jupyter);
  if (!python) throw new Error(`cannot tell which Python runs ${jupyter}, to render notebooks with nbconvert`);
  const args = [...python.slice(1), '-m', 'flow_jupyter.render_html', join(runDir, 'html'), ...notebooks];
  const env = { ...process.env, PYTHONPATH: [pythonDir, process.env.PYTHONPATH].filter(Boolean).join(':') };
  if (opts.detached) {
    const child = spawn(python[0]!, args, { env, stdio: 'ignore', detached: true });
    child.on('error', () => {}); // nothing waits for it; the report links say where the pages go
    child.unref();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn(python[0]!, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`nbconvert rendering exited ${code}: ${stderr.trim()}`))));
  });
}
