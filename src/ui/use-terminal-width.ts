// The terminal's width in columns, re-rendering on resize (Ink re-lays out, but our own
// width-dependent choices, such as the progress bar's length, need a new render).
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Columns of Ink's stdout; 80 when it does not say (a pipe). */
export function useTerminalWidth(): number {
  const { stdout } = useStdout();
  const [columns, setColumns] = useState(stdout.columns || 80);
  useEffect(() => {
    const onResize = () => setColumns(stdout.columns || 80);
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return columns;
}
