// Finds `${{ expr }}` templates in strings; the expression text between the braces is CEL.

export interface TemplatePart {
  /** Index of `${{` in the string. */
  readonly start: number;
  /** Index just past `}}`. */
  readonly end: number;
  /** The trimmed expression. */
  readonly source: string;
  /** Index of the expression's first character in the string. */
  readonly exprStart: number;
}

export type ScanResult = { parts: TemplatePart[] } | { error: string; at: number };

/**
 * The templates of a string, in order. Braces and quotes inside the expression are tracked so
 * that a CEL map literal (`${{ {"a": 1}["a"] }}`) does not end the template early.
 */
export function scanTemplates(s: string): ScanResult {
  const parts: TemplatePart[] = [];
  let i = s.indexOf('${{');
  while (i !== -1) {
    let depth = 0;
    let quote: string | undefined;
    let j = i + 3;
    let end = -1;
    for (; j < s.length; j++) {
      const c = s[j]!;
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0 && s[j + 1] === '}') {
          end = j + 2;
          break;
        }
        depth = Math.max(0, depth - 1);
      }
    }
    if (end === -1) return { error: 'unterminated ${{ template: missing "}}"', at: i };
    const inner = s.slice(i + 3, end - 2);
    const lead = inner.length - inner.trimStart().length;
    const source = inner.trim();
    if (!source) return { error: 'empty ${{ }} template', at: i };
    parts.push({ start: i, end, source, exprStart: i + 3 + lead });
    i = s.indexOf('${{', end);
  }
  return { parts };
}

/** The single template that makes up the whole string, if it is exactly one. */
export function wholeTemplate(s: string, parts: readonly TemplatePart[]): TemplatePart | undefined {
  return parts.length === 1 && parts[0]!.start === 0 && parts[0]!.end === s.length ? parts[0] : undefined;
}
