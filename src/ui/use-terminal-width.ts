// The terminal's size, re-rendering on resize (Ink re-lays out, but our own width- and
// height-dependent choices, such as the progress bar's length, need a new render).
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  /** 80 when the stream does not say (a pipe). */
  columns: number;
  /** Infinity when the stream does not say: nothing is then cut for height. */
  rows: number;
}

/** Columns and rows of Ink's stdout. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => readSize(stdout));
  useEffect(() => {
    const onResize = () =>
      setSize((old) => {
        const now = readSize(stdout);
        return now.columns === old.columns && now.rows === old.rows ? old : now;
      });
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

/** Columns of Ink's stdout; 80 when it does not say (a pipe). */
export function useTerminalWidth(): number {
  return useTerminalSize().columns;
}

function readSize(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || Infinity };
}
