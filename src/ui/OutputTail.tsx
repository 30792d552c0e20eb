// The last lines a running cell printed (verbose), dimmed and cut to one terminal line each.
import { Box, Text } from 'ink';
import { sanitizeTerminalText } from '../report/format.js';

export interface OutputTailProps {
  lines: readonly string[];
  /** Spaces before the gutter. @default 2 */
  indent?: number;
}

export function OutputTail({ lines, indent = 2 }: OutputTailProps) {
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column" paddingLeft={indent}>
      {lines.map((line, i) => (
        // Escapes from the notebook (colours, cursor moves) would corrupt Ink's layout.
        <Text key={i} dimColor wrap="truncate-end">
          │ {sanitizeTerminalText(line)}
        </Text>
      ))}
    </Box>
  );
}
