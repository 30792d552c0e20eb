// Ctrl-C and SIGTERM: the first asks the run to stop cleanly (save notebooks, record
// `cancelled`); a second Ctrl-C exits at once (the server's watchdog then stops the kernels).
import { interruptExitCode } from '../errors.js';

export interface Interrupts {
  signal: AbortSignal;
  /** The signal that interrupted the run, if any. */
  readonly received: 'SIGINT' | 'SIGTERM' | undefined;
  dispose(): void;
}

/**
 * `onFirst` runs on the first signal; `onForce` on the second, just before flow exits at once:
 * it must be synchronous (nothing awaited runs after it).
 */
export function trapInterrupts(
  onFirst?: (sig: 'SIGINT' | 'SIGTERM') => void,
  onForce?: (sig: 'SIGINT' | 'SIGTERM', exitCode: number) => void,
): Interrupts {
  const controller = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | undefined;
  const handler = (sig: 'SIGINT' | 'SIGTERM') => {
    if (received) {
      const code = interruptExitCode(sig);
      try {
        onForce?.(sig, code);
      } finally {
        process.exit(code);
      }
    }
    received = sig;
    onFirst?.(sig);
    controller.abort(sig);
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
