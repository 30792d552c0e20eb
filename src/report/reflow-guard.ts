// The stdout Ink draws on, made to survive a terminal that narrows: no copies of the frame left behind.
import { stripVTControlCharacters } from 'node:util';

/** Ink's log-update erases its previous frame with ansi-escapes' eraseLines: (ESC[2K ESC[1A)* ESC[2K ESC[G. */
const ERASE_PREFIX = /^(?:\u001b\[2K(?:\u001b\[1A)?)+\u001b\[G/;
/** A write that only moves or hides the cursor, or brackets a synchronized update. */
const CONTROL_ONLY = /^(?:\u001b\[[0-9;?]*[A-Za-z])*$/;

function visibleWidth(line: string): number {
  return [...stripVTControlCharacters(line)].length;
}

/**
 * Physical lines a frame takes beyond its own line count at `columns`: a line wider than the
 * terminal wraps (or, on a terminal that narrowed, is re-wrapped) onto two or more.
 */
export function reflowExtraLines(frame: string, columns: number): number {
  if (columns <= 0 || frame === '') return 0;
  const lines = frame.endsWith('\n') ? frame.slice(0, -1).split('\n') : frame.split('\n');
  return lines.reduce((extra, line) => extra + Math.max(0, Math.ceil(visibleWidth(line) / columns) - 1), 0);
}

/**
 * Wraps a terminal stream for Ink. Ink erases its last frame by counting the lines it wrote,
 * but when the terminal narrows, terminals that reflow (tmux, VTE, iTerm2, kitty, WezTerm,
 * Windows Terminal) re-wrap each line wider than the new width onto two; and a frame Ink lays
 * out just before it hears of the resize (SIGWINCH comes a little later) wraps as it is written.
 * Either way Ink's erase falls short and the top lines of the old frame stay on screen above the
 * new one. So the last frame is kept, and every erase Ink writes is extended by the lines that
 * frame gained at the terminal's real width (asked of the tty itself, not Node's cached size).
 * On a terminal that cuts lines instead of reflowing them (xterm), narrowing by hand during a
 * run can then erase a line or two of the finished nodes above: rarer, and less confusing than
 * copies of the live area.
 */
export function guardReflow(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  let frame = '';
  const realColumns = (): number => {
    try {
      return stream.getWindowSize()[0];
    } catch {
      return stream.columns || 0;
    }
  };
  const write = (data: string | Uint8Array, ...rest: unknown[]): boolean => {
    let text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    const erase = ERASE_PREFIX.exec(text);
    if (erase) {
      const body = text.slice(erase[0].length);
      const extra = reflowExtraLines(frame, realColumns());
      // Ink's erase leaves the cursor at the start of the old frame's first line as Ink counted
      // it; the lines the frame gained are just above.
      if (extra > 0) text = erase[0] + '\u001b[1A\u001b[2K'.repeat(extra) + body;
      frame = body;
    } else if (!CONTROL_ONLY.test(text)) {
      // A frame written just after an erase of its own (static output, or after clear()).
      frame = text;
    }
    return (stream.write as (...a: unknown[]) => boolean)(text, ...rest);
  };
  type Listener = (...args: unknown[]) => void;
  const delegate =
    (method: 'on' | 'addListener' | 'once' | 'off' | 'removeListener') =>
    (e: string, l: Listener): NodeJS.WriteStream => {
      (stream[method] as (e: string, l: Listener) => unknown).call(stream, e, l);
      return proxy;
    };
  const proxy: NodeJS.WriteStream = Object.create(stream, {
    write: { value: write },
    // Listeners ('resize') live on the real stream, which emits them; never on the stand-in.
    on: { value: delegate('on') },
    addListener: { value: delegate('addListener') },
    once: { value: delegate('once') },
    off: { value: delegate('off') },
    removeListener: { value: delegate('removeListener') },
  });
  return proxy;
}
