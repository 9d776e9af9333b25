/**
 * "Newest response wins", the one rule every view applies to overlapping async requests:
 * each request takes a sequence number, and a response is applied only when no newer response
 * was applied before it. A slow render of an old edit therefore never replaces the preview of
 * a newer edit.
 *
 * One request can answer in several parts (the live preview answers pane by pane): `accept`
 * then takes the part's key, and each key keeps its own newest — the SMS pane of request 7
 * still shows while the print pane of request 6 is on screen, but never the print of 5 after it.
 */
export class Latest {
  private issued: number;
  private readonly applied = new Map<string, number>();
  private readonly start: number;

  /** `start`: numbers already used by an earlier owner of the same counter on the other side. */
  constructor(start = 0) {
    this.issued = start;
    this.start = start;
  }

  /** Number for a new request; later calls get larger numbers. */
  next(): number {
    this.issued += 1;
    return this.issued;
  }

  /**
   * True when the response (or its part `key`) for `seq` should be shown, and records it as
   * shown. A number never handed out, or not newer than the key's last shown one, is refused.
   */
  accept(seq: number, key = ""): boolean {
    if (seq <= this.shown(key) || seq > this.issued) return false;
    this.applied.set(key, seq);
    return true;
  }

  /** The newest number shown for `key` (the start when none). */
  shown(key = ""): number {
    return this.applied.get(key) ?? this.start;
  }

  /** True while a request newer than the last shown one (of the whole response) is still out. */
  get busy(): boolean {
    return this.issued > this.shown();
  }

  /** The newest request number handed out. */
  get newest(): number {
    return this.issued;
  }
}
