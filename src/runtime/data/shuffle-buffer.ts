/**
 * The seeded shuffle buffer of streamed data (docs/semantics.md, "Streamed data"): rows enter a
 * buffer of `capacity` rows in file order; once it is full, each arriving row takes the place of
 * the row at rng.int(capacity), which is emitted; at the end of the stream the rows left are
 * emitted in the order of a seeded Fisher-Yates permutation of the buffer (permutation(), rng.ts).
 * Every row is emitted exactly once, and the order depends only on the rows and the rng. With
 * capacity >= the number of rows the whole epoch is one seeded permutation.
 */
import { permutation, type Rng } from '../rng.js';

export class ShuffleBuffer<T> {
  private readonly buffer: T[] = [];

  constructor(
    private readonly capacity: number,
    private readonly rng: Rng,
  ) {}

  /** Takes a row in; appends the row it displaces (if the buffer was full) to `out`. */
  offer(row: T, out: T[]): void {
    if (this.buffer.length < this.capacity) {
      this.buffer.push(row);
      return;
    }
    const j = this.rng.int(this.capacity);
    out.push(this.buffer[j]!);
    this.buffer[j] = row;
  }

  /** At the end of the stream: appends the rows left, in a seeded order, and empties the buffer. */
  drain(out: T[]): void {
    for (const j of permutation(this.buffer.length, this.rng)) out.push(this.buffer[j]!);
    this.buffer.length = 0;
  }
}
