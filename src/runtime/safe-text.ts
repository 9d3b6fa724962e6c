/**
 * Text that reaches a terminal from a value mlspec did not write (a CSV cell, a class name, a
 * column name, a spec string, a file name): control characters are shown as escapes instead of
 * being sent, so an ESC/CSI/OSC sequence in data cannot set the terminal's title, clear the
 * screen or hide text, and bidirectional overrides cannot reorder what is shown. Long texts are
 * cut with an ellipsis, so a 200 MB class name prints as a few hundred characters.
 *
 * terminalSafe is applied where messages leave mlspec (diagnostics, run failures, warnings); it
 * keeps line breaks and tabs, which messages use. echoValue is for one value quoted inside a
 * message: it also escapes line breaks and tabs and cuts at a shorter length.
 */

/** C0 controls but tab and line feed, DEL, C1 controls (0x80-0x9f, CSI is 0x9b), bidi embeddings/overrides/isolates and marks. */
const UNSAFE_TEXT_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same plus tab, line feed and carriage return: for one value inside a line. */
const UNSAFE_VALUE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The longest message printed whole; a longer one keeps its start and end around an ellipsis. */
export const MAX_MESSAGE_CHARS = 2000;
/** The longest value quoted whole inside a message. */
export const MAX_ECHOED_VALUE_CHARS = 120;

function escapeCharacter(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Cuts `text` to at most about `max` characters: the first two thirds and the last third around an ellipsis (never inside a surrogate pair). */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = Math.ceil((max * 2) / 3);
  let tail = text.length - (max - head - 1);
  if (/[\udc00-\udfff]/.test(text[head] ?? '')) head -= 1;
  if (/[\udc00-\udfff]/.test(text[tail] ?? '')) tail += 1;
  return `${text.slice(0, head)}…${text.slice(tail)}`;
}

/** A message made safe for a terminal: control characters escaped (line breaks and tabs kept), cut to MAX_MESSAGE_CHARS. */
export function terminalSafe(text: string, max: number = MAX_MESSAGE_CHARS): string {
  // Cut first: a 200 MB text is not scanned whole (the cut keeps far more than is shown).
  return cutText(cutText(text, max * 2).replace(UNSAFE_TEXT_CHARACTERS, escapeCharacter), max);
}

/** One value echoed inside a message: every control character escaped, cut to MAX_ECHOED_VALUE_CHARS. */
export function echoValue(value: string, max: number = MAX_ECHOED_VALUE_CHARS): string {
  return cutText(cutText(value, max * 2).replace(UNSAFE_VALUE_CHARACTERS, escapeCharacter), max);
}
