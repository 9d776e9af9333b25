/**
 * Keeps only the newest of overlapping async requests: each request takes a sequence number,
 * and a response is applied only when no newer response was applied before it. A slow render
 * of an old edit therefore never replaces the preview of a newer edit.
 */
export class Latest {
  private issued: number;
  private applied: number;

  /** `start`: numbers already used by an earlier owner of the same counter on the other side. */
  constructor(start = 0) {
    this.issued = start;
    this.applied = start;
  }

  /** Number for a new request; later calls get larger numbers. */
  next(): number {
    this.issued += 1;
    return this.issued;
  }

  /** True when the response for `seq` should be shown (and records it as shown). */
  accept(seq: number): boolean {
    if (seq <= this.applied || seq > this.issued) return false;
    this.applied = seq;
    return true;
  }

  /** True while a request newer than the last shown one is still out. */
  get busy(): boolean {
    return this.issued > this.applied;
  }

  /** The newest request number handed out. */
  get newest(): number {
    return this.issued;
  }
}
