import { describe, it, expect, vi, beforeEach, afterEach } from "vitest";
import { Latest } from "../../src/lib/latest";
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

describe("Latest with keyed parts (a response answered pane by pane)", () => {
  it("keeps the newest per key: a newer request's pane does not block an older request's other pane", () => {
    const l = new Latest();
    const a = l.next();
    const b = l.next();
    expect(l.accept(b, "sms")).toBe(true);
    expect(l.accept(a, "print")).toBe(true); // b's print is not here yet: a's is newer than what is shown
    expect(l.accept(a, "sms")).toBe(false); // b's SMS is on screen
    expect(l.accept(b, "print")).toBe(true);
    expect(l.accept(a, "print")).toBe(false);
    expect(l.shown("print")).toBe(b);
  });
});
