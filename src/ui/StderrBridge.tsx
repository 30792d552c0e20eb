// Hands Ink's stderr writer (clear the frame, write, redraw) to the reporter while the view is mounted.
import { useStderr } from 'ink';
import { useEffect } from 'react';

export interface StderrBridgeProps {
  /** Called with Ink's writer once mounted, and with undefined when unmounted (Ink then drops writes). */
  onWriter(write: ((data: string) => void) | undefined): void;
}

export function StderrBridge({ onWriter }: StderrBridgeProps) {
  const { write } = useStderr();
  useEffect(() => {
    onWriter(write);
    return () => onWriter(undefined);
  }, [write, onWriter]);
  return null;
}
