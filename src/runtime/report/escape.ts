/**
 * HTML escaping for the run report. Every string that comes from the spec or the data (layer
 * and class names, the spec source, metric names) passes through here before it is written.
 */

/** Escapes text for HTML element content and for double- or single-quoted attribute values. */
export function reportEscapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => REPORT_HTML_ENTITIES[char]!);
}

const REPORT_HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
