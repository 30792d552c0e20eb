// Kernels the embedded server starts while it is still importing (see python/flow_jupyter/prelaunch.py).
import type { Writable } from 'node:stream';

/**
 * Kernels to start early, sent to the server's stdin as `{"kernel_name", "cwd"}` lines. The
 * server adopts one when asked for the same kernel in the same folder (POST /api/kernels); a
 * kernel asked for differently is started the usual way, so a request is only ever a hint.
 */
export class KernelPrelaunch {
  private readonly lines: string[] = [];
  private stdin: Writable | undefined;

  /** The stdin of a server just spawned; it gets every request made so far. */
  attach(stdin: Writable): void {
    this.stdin = stdin;
    // A server that exits (a port race, a crash) closes its end: nothing to report from here.
    stdin.on('error', () => undefined);
    for (const line of this.lines) stdin.write(line);
  }

  request(kernelName: string, cwd: string): void {
    const line = `${JSON.stringify({ kernel_name: kernelName, cwd })}\n`;
    this.lines.push(line);
    if (this.stdin?.writable) this.stdin.write(line);
  }
}
