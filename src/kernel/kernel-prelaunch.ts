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
    this.send({ kernel_name: kernelName, cwd });
  }

  /**
   * How the run's kernels start (python/flow_jupyter/forking.py): `fork: false` launches each
   * anew; `preload` names modules the fork server imports before it forks them. Sent before the
   * run's first kernel request, so that it applies to every kernel.
   */
  configure(settings: { fork?: boolean; preload?: readonly string[] }): void {
    if (settings.fork === undefined && !settings.preload?.length) return;
    this.send({
      ...(settings.fork !== undefined && { fork: settings.fork }),
      ...(settings.preload?.length && { preload: settings.preload }),
    });
  }

  private send(request: object): void {
    const line = `${JSON.stringify(request)}\n`;
    this.lines.push(line);
    if (this.stdin?.writable) this.stdin.write(line);
  }
}
