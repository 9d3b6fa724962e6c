/**
 * How a run of an edited compiled program says so: summary.json's "edited" lists the parts
 * (run-description.ts editedParts), and this sentence heads its spec.mlspec and the report's
 * Program section, so the run folder never passes the stale spec off as what trained.
 */

/** One sentence naming a run's edited parts. */
export function editedSentence(edited: readonly string[]): string {
  return `This program was edited after it was compiled (${edited.join(', ')}); summary.json "program" describes what trained, not this spec.`;
}

/** A run's spec.mlspec: the spec, below a comment when the program that ran was edited since it was compiled. */
export function runSpecText(specSource: string, edited: readonly string[] | undefined): string {
  return edited && edited.length > 0 ? `# ${editedSentence(edited)}\n${specSource}` : specSource;
}
