// While the live view is drawn, other text written to stderr goes through Ink instead of into its frame.
import { Buffer } from 'node:buffer';

/** Writes text above the live frame: Ink clears the frame, writes, and redraws it. */
export type StderrWriter = (data: string) => void;

export interface StderrRoute {
  /** Set while the view is live; undefined sends writes straight to the stream again. */
  setWriter(writer: StderrWriter | undefined): void;
  /** A stand-in stream whose write bypasses the route (for Ink's own stderr writes). */
  direct: NodeJS.WriteStream;
  /** Puts the stream's own write back. */
  restore(): void;
}

/**
 * Text that lands on the terminal in the middle of Ink's frame (a library's warning, a debug
 * print) makes Ink erase the wrong lines on its next redraw: from then on every frame is printed
 * below the last instead of over it, and the screen fills with copies of the live area.
 * Ink's patchConsole covers console.* only; this covers direct `stream.write` calls.
 */
export function routeStderr(stream: NodeJS.WriteStream): StderrRoute {
  const original = stream.write;
  const writeDirect = (data: string | Uint8Array, ...rest: unknown[]): boolean =>
    (original as (...a: unknown[]) => boolean).call(stream, data, ...rest);
  let writer: StderrWriter | undefined;
  const routed = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    if (!writer) return writeDirect(chunk, ...rest);
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    // Ink counts the lines it must erase from its own output: a partial line would shift them.
    writer(text.endsWith('\n') ? text : `${text}\n`);
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    if (callback) process.nextTick(callback);
    return true;
  };
  stream.write = routed as typeof stream.write;
  const direct = Object.create(stream, { write: { value: writeDirect } }) as NodeJS.WriteStream;
  return {
    setWriter(w) {
      writer = w;
    },
    direct,
    restore() {
      writer = undefined;
      if (stream.write === (routed as unknown)) stream.write = original;
    },
  };
}
