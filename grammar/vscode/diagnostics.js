'use strict';
/**
 * Pure mapping from the JSON output of `mlspec check --format json` (an array of
 * {file, line, column, endLine, endColumn, severity, code, message, notes, related}, 1-based positions)
 * to editor diagnostics (0-based positions). No `vscode` import here, so it can be unit-tested.
 */

const path = require('node:path');

const severities = { error: 'error', warning: 'warning', info: 'information' };

/**
 * One JSON item -> { range: { start: { line, character }, end: { line, character } }, severity, message, code }.
 * `severity` is 'error', 'warning' or 'information'; unknown severities count as errors.
 */
function toEditorDiagnostic(item) {
  const startLine = Math.max(0, toInt(item.line, 1) - 1);
  const startCharacter = Math.max(0, toInt(item.column, 1) - 1);
  let endLine = Math.max(0, toInt(item.endLine, item.line) - 1);
  let endCharacter = Math.max(0, toInt(item.endColumn, item.column) - 1);
  if (endLine < startLine || (endLine === startLine && endCharacter < startCharacter)) {
    endLine = startLine;
    endCharacter = startCharacter;
  }
  const notes = Array.isArray(item.notes) ? item.notes.filter((note) => typeof note === 'string') : [];
  const message = [String(item.message ?? ''), ...notes.map((note) => `note: ${note}`)].join('\n');
  const result = {
    range: { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } },
    severity: severities[item.severity] ?? 'error',
    message,
    code: typeof item.code === 'string' ? item.code : undefined,
  };
  // Other places in the same file (where the file ends for an unclosed '{'): the editor's related information.
  const related = Array.isArray(item.related) ? item.related.filter((place) => place !== null && typeof place === 'object') : [];
  if (related.length > 0) {
    result.related = related.map((place) => {
      const line = Math.max(0, toInt(place.line, 1) - 1);
      const character = Math.max(0, toInt(place.column, 1) - 1);
      return { message: String(place.message ?? ''), range: { start: { line, character }, end: { line: Math.max(line, toInt(place.endLine, place.line) - 1), character: Math.max(0, toInt(place.endColumn, place.column) - 1) } } };
    });
  }
  return result;
}

/**
 * Parses the command's stdout and groups the diagnostics by absolute file path (relative paths
 * are resolved against `cwd`, the directory the command ran in). Throws on output that is not
 * a JSON array.
 */
function diagnosticsByFile(stdout, cwd) {
  const items = JSON.parse(stdout);
  if (!Array.isArray(items)) throw new Error('mlspec check --format json did not print a JSON array.');
  const byFile = new Map();
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const file = path.resolve(cwd, String(item.file ?? ''));
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file).push(toEditorDiagnostic(item));
  }
  return byFile;
}

function toInt(value, fallback) {
  const number = Number(value);
  if (Number.isFinite(number)) return Math.trunc(number);
  const other = Number(fallback);
  return Number.isFinite(other) ? Math.trunc(other) : 1;
}

module.exports = { toEditorDiagnostic, diagnosticsByFile };
