// A fixed-width bar of done/total, e.g. `████░░░░`; nothing when width is 0 (narrow terminals).
import { Text } from 'ink';

export interface ProgressBarProps {
  done: number;
  total: number;
  /** Characters. */
  width: number;
}

export function ProgressBar({ done, total, width }: ProgressBarProps) {
  if (width <= 0) return null;
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * width);
  return (
    <Text>
      <Text color="cyan">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(width - filled)}</Text>
    </Text>
  );
}
