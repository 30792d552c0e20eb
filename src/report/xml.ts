// XML 1.0 text and attribute escaping, for the JUnit report.

/**
 * Characters XML 1.0 cannot hold at all, even escaped (C0 controls other than tab, LF and CR;
 * lone surrogates; U+FFFE/U+FFFF). Notebook output often carries them (ANSI, \b progress bars).
 */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Drops the characters XML 1.0 forbids. */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '');
}

/**
 * Escapes element text. Escaping `>` too keeps `]]>` (forbidden in text) harmless; a CR is a
 * reference because parsers turn a literal one into LF.
 */
export function escapeXmlText(text: string): string {
  return stripInvalidXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes a double- or single-quoted attribute value; whitespace is kept as character references
 * because parsers normalize literal tabs and newlines in attributes to spaces. */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
