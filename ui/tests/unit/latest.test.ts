import { describe, it, expect, vi, beforeEach, afterEach } from "vitest";
import { Latest, runLatest } from "../../src/lib/latest";
import { debounce } from "../../src/lib/debounce";

describe("Latest", () => {
  it("drops a response that arrives after a newer one was shown", () => {
    const l = new Latest();
    const a = l.next();
    const b = l.next();
    expect(l.accept(b)).toBe(true);
    expect(l.accept(a)).toBe(false);
  });

  it("shows an older response while the newer one is still out, then the newer one", () => {
    const l = new Latest();
    const a = l.next();
    const b = l.next();
    expect(l.accept(a)).toBe(true);
    expect(l.busy).toBe(true);
    expect(l.accept(b)).toBe(true);
    expect(l.busy).toBe(false);
  });

  it("never accepts a number it did not hand out, or the same one twice", () => {
    const l = new Latest();
    expect(l.accept(1)).toBe(false);
    const a = l.next();
    expect(l.accept(a)).toBe(true);
    expect(l.accept(a)).toBe(false);
  });
});

describe("runLatest", () => {
  it("applies only the newest of two overlapping renders when the older one finishes last", async () => {
    const l = new Latest();
    const applied: string[] = [];
    let releaseSlow!: (v: string) => void;
    const slow = runLatest(
      l,
      () => new Promise<string>((r) => (releaseSlow = r)),
      (v) => applied.push(v),
      () => applied.push("error"),
    );
    const fast = runLatest(l, async () => "new", (v) => applied.push(v), () => applied.push("error"));
    await fast;
    releaseSlow("old");
    await slow;
    expect(applied).toEqual(["new"]);
  });

  it("drops the error of a stale request too", async () => {
    const l = new Latest();
    const seen: string[] = [];
    let rejectSlow!: (e: Error) => void;
    const slow = runLatest(
      l,
      () => new Promise<string>((_, rej) => (rejectSlow = rej)),
      (v) => seen.push(v),
      (e) => seen.push(String(e)),
    );
    await runLatest(l, async () => "ok", (v) => seen.push(v), (e) => seen.push(String(e)));
    rejectSlow(new Error("late failure"));
    await slow;
    expect(seen).toEqual(["ok"]);
  });
});

describe("debounce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once with the last arguments after the pause", () => {
    const fn = vi.fn();
    const d = debounce(fn, 60);
    d("a");
    vi.advanceTimersByTime(30);
    d("ab");
    vi.advanceTimersByTime(59);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith("ab");
  });

  it("flush runs a pending call now; cancel drops it", () => {
    const fn = vi.fn();
    const d = debounce(fn, 60);
    d(1);
    expect(d.pending).toBe(true);
    d.flush();
    expect(fn).toHaveBeenCalledWith(1);
    expect(d.pending).toBe(false);
    d(2);
    d.cancel();
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe("Latest continuing an earlier counter", () => {
  it("numbers after the start and accepts its own first response", () => {
    const l = new Latest(41);
    expect(l.accept(41)).toBe(false);
    const a = l.next();
    expect(a).toBe(42);
    expect(l.accept(a)).toBe(true);
  });
});
