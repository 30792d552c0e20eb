// A warning or error the run logged, kept in the scrollback above the live area.
import { Text } from 'ink';

export interface LogLineProps {
  level: string;
  message: string;
  node?: string;
}

export function LogLine({ level, message, node }: LogLineProps) {
  const [icon, color] = level === 'error' ? ['✖', 'red'] : level === 'warn' ? ['⚠', 'yellow'] : ['ℹ', 'blue'];
  return (
    <Text wrap="truncate-end">
      <Text color={color}>{icon}</Text> {node ? `${node}: ` : ''}
      {message}
    </Text>
  );
}
