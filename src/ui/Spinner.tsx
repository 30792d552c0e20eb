// A spinner drawn from a frame counter the caller advances (no ink-spinner dependency).
import { Text } from 'ink';

export const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export interface SpinnerProps {
  frame: number;
  /** @default 'cyan' */
  color?: string;
}

export function Spinner({ frame, color = 'cyan' }: SpinnerProps) {
  return <Text color={color}>{spinnerFrames[Math.abs(frame) % spinnerFrames.length]}</Text>;
}
