import { describe, it, expect } from "vitest";
import { PreviewSession, type PreviewState, type SessionOptions } from "../../src/lib/previewSession";
import type { PreviewEvent } from "../../src/lib/types/PreviewEvent";
import type { PreviewRequest } from "../../src/lib/types/PreviewRequest";
import type { Diagnostic } from "../../src/lib/types/Diagnostic";
import type { Channel } from "../../src/lib/types/Channel";
import type { Outline } from "../../src/lib/types/Outline";
import type { PrintPageView } from "../../src/lib/types/PrintPageView";
import type { SmsView } from "../../src/lib/types/SmsView";

const outline: Outline = {
  name: "Reminder",
  brand: "sakura",
  brand_name: "Sakura Bank",
  default_locale: "ja",
  locales: ["ja", "en"],
  channels: ["email", "sms", "push", "print"],
  personas: [],
} as unknown as Outline;

function sms(text: string): SmsView {
  return { text } as unknown as SmsView;
}

function page(seq: number, n = 1): PrintPageView {
  return {
    seq,
    page: n,
    pages: 2,
    image: `data:image/png;base64,${seq}-${n}`,
    page_width_mm: 210,
    page_height_mm: 297,
    envelope_window: null,
  };
}

function problem(channel: Channel, message: string): Diagnostic {
  return {
    code: "tera_syntax",
    severity: "error",
    channel,
    file: `${channel}.txt`,
    line: 1,
    column: null,
    message: { en: message, ja: message },
    hint: null,
    origin: { kind: "render" },
    subject: null,
    rendition: null,
  } as unknown as Diagnostic;
}

const pane = (seq: number, channel: Channel, extra: Record<string, unknown> = {}): PreviewEvent =>
  ({ kind: "pane", seq, channel, elapsed_ms: 1, email: null, sms: null, push: null, print: null, problems: [], ...extra }) as PreviewEvent;

const draft = (seq: number, renderable = true, problems: Diagnostic[] = []): PreviewEvent => ({
  kind: "draft",
  seq,
  outline,
  problems,
  renderable,
});

/** A fake Rust side: records requests and lets the test answer them in any order. */
function harness(extra: Partial<SessionOptions> = {}) {
  const sent: { request: PreviewRequest; printPage: number; emit: (e: PreviewEvent) => void; fail: (e: unknown) => void }[] = [];
  const states: PreviewState[] = [];
  let clock = 0;
  const frames: (() => void)[] = [];
  let files = { "sms.txt": "a" };
  const session = new PreviewSession({
    current: () => ({ template_id: "t", files: { ...files }, persona: null, locale: null }),
    send: (request, printPage, _dpi, onEvent) =>
      new Promise((_, reject) => sent.push({ request, printPage, emit: onEvent, fail: reject })),
    page: async (n) => page(sent.length, n),
    onchange: (s) => states.push(s),
    problemOf: (e) => problem("email", String(e)),
    now: () => clock,
    afterPaint: (fn) => frames.push(fn),
    ...extra,
  });
  return {
    session,
    sent,
    state: () => session.snapshot,
    edit(text: string) {
      files = { "sms.txt": text };
      session.changed();
    },
    tick(ms: number) {
      clock += ms;
    },
    paint() {
      for (const f of frames.splice(0)) f();
    },
    /** Answers request `i` with all four panes, SMS showing `text`. */
    answer(i: number, text: string) {
      const { request, emit } = sent[i];
      const seq = request.seq;
      emit(draft(seq));
      emit(pane(seq, "sms", { sms: sms(text) }));
      emit(pane(seq, "email"));
      emit(pane(seq, "push"));
      emit(pane(seq, "print", { print: page(seq) }));
      emit({ kind: "done", seq, elapsed_ms: 5, complete: true });
    },
  };
}

describe("PreviewSession", () => {
  it("sends one request per edit and holds later edits until the panes of the one out arrive", () => {
    const h = harness();
    h.edit("a1");
    expect(h.sent).toHaveLength(1);
    h.edit("a12");
    h.edit("a123");
    expect(h.sent).toHaveLength(1); // one out at a time
    expect(h.state().busy).toBe(true);
    h.answer(0, "a1");
    expect(h.sent).toHaveLength(2); // both waiting edits go in one request, with the newest files
    expect(h.sent[1].request.files["sms.txt"]).toBe("a123");
    expect(h.sent[1].request.seq).toBeGreaterThan(h.sent[0].request.seq);
    h.answer(1, "a123");
    expect(h.state().sms?.text).toBe("a123");
    expect(h.state().busy).toBe(false);
    expect(h.sent).toHaveLength(2); // nothing new to show
  });

  it("drops a pane of an older request that arrives after a newer one painted it", () => {
    const h = harness();
    h.edit("old");
    const first = h.sent[0];
    first.emit(draft(first.request.seq));
    for (const ch of ["email", "sms", "push"] as Channel[]) first.emit(pane(first.request.seq, ch, ch === "sms" ? { sms: sms("old") } : {}));
    // The print pane of the first request is late; its `done` has not come yet either.
    h.edit("new");
    expect(h.sent).toHaveLength(1);
    first.emit(pane(first.request.seq, "print", { print: page(first.request.seq) }));
    expect(h.sent).toHaveLength(2);
    const second = h.sent[1];
    second.emit(pane(second.request.seq, "print", { print: page(second.request.seq) }));
    second.emit(pane(second.request.seq, "sms", { sms: sms("new") }));
    // A straggler of the first request (sent again by a slow channel) changes nothing.
    first.emit(pane(first.request.seq, "sms", { sms: sms("old") }));
    first.emit({ kind: "findings", seq: first.request.seq, findings: [problem("sms", "old finding")], rules_error: null });
    expect(h.state().sms?.text).toBe("new");
    expect(h.state().print?.seq).toBe(second.request.seq);
    second.emit({ kind: "findings", seq: second.request.seq, findings: [], rules_error: null });
    first.emit({ kind: "findings", seq: first.request.seq, findings: [problem("sms", "stale")], rules_error: null });
    expect(h.state().findings).toEqual([]);
  });

  it("a broken channel keeps its last good pane and shows why; fixing it clears the problem", () => {
    const h = harness();
    h.edit("good");
    h.answer(0, "good");
    h.edit("{{ broken");
    const { request, emit } = h.sent[1];
    emit(draft(request.seq));
    emit(pane(request.seq, "sms", { problems: [problem("sms", "unclosed tag")] }));
    for (const ch of ["email", "push"] as Channel[]) emit(pane(request.seq, ch));
    emit(pane(request.seq, "print", { print: page(request.seq) }));
    expect(h.state().sms?.text).toBe("good");
    expect(h.state().problems.map((p) => p.message.en)).toEqual(["unclosed tag"]);
    h.edit("fixed");
    h.answer(2, "fixed");
    expect(h.state().sms?.text).toBe("fixed");
    expect(h.state().problems).toEqual([]);
  });

  it("a template that does not parse at all keeps every pane and settles without panes", () => {
    const h = harness();
    h.edit("good");
    h.answer(0, "good");
    const before = h.state();
    h.edit("bad manifest");
    const { request, emit } = h.sent[1];
    emit(draft(request.seq, false, [problem("email", "template.toml: expected `=`")]));
    emit({ kind: "done", seq: request.seq, elapsed_ms: 1, complete: true });
    expect(h.state().sms).toBe(before.sms);
    expect(h.state().print).toBe(before.print);
    expect(h.state().email).toBe(before.email);
    expect(h.state().problems).toHaveLength(1);
    expect(h.state().busy).toBe(false);
    h.edit("good again");
    expect(h.sent).toHaveLength(3);
  });

  it("a failed request shows its error; a superseded one is silent; both let the next edit go", async () => {
    const h = harness();
    h.edit("a");
    h.sent[0].fail({ code: "library_unavailable", message: "no library" });
    await Promise.resolve();
    expect(h.state().problems).toHaveLength(1);
    h.edit("b");
    expect(h.sent).toHaveLength(2);
    h.sent[1].fail({ code: "superseded", message: "newer" });
    await Promise.resolve();
    expect(h.state().problems).toHaveLength(1); // still the earlier error, nothing added
    h.edit("c");
    h.answer(2, "c");
    expect(h.state().problems).toEqual([]);
  });

  it("times each edit to the frame that shows it, per pane and for all four", () => {
    const h = harness();
    h.edit("a"); // at 0
    h.tick(10);
    h.edit("ab"); // at 10, waits for the first request
    h.tick(20);
    h.answer(0, "a");
    h.tick(5);
    h.paint(); // panes of request 1 on screen at 35: edit 1 took 35 ms
    h.tick(15);
    h.answer(1, "ab");
    h.paint(); // at 50: edit 2 took 40 ms
    const t = h.state().timings;
    expect(t.sms).toEqual([35, 40]);
    expect(t.print).toEqual([35, 40]);
    expect(t.all).toEqual([35, 40]);
  });

  it("'all four painted' waits for the slowest pane", () => {
    const h = harness();
    h.edit("a");
    const { request, emit } = h.sent[0];
    emit(draft(request.seq));
    for (const ch of ["email", "sms", "push"] as Channel[]) emit(pane(request.seq, ch));
    h.tick(12);
    h.paint();
    h.tick(30);
    emit(pane(request.seq, "print", { print: page(request.seq) }));
    h.paint();
    expect(h.state().timings.sms).toEqual([12]);
    expect(h.state().timings.print).toEqual([42]);
    expect(h.state().timings.all).toEqual([42]);
  });

  it("turning the page asks for that page and keeps it for later renders", async () => {
    const h = harness();
    h.edit("a");
    h.answer(0, "a");
    await h.session.showPage(2);
    expect(h.state().print?.page).toBe(2);
    h.edit("b");
    expect(h.sent[1].printPage).toBe(2);
  });

  it("continues the sequence numbers it is given", () => {
    const h = harness({ seqStart: 41 });
    h.edit("a");
    expect(h.sent[0].request.seq).toBe(42);
    expect(h.session.newestSeq).toBe(42);
  });

  it("a pane whose view did not change keeps the object on screen (it is not drawn again)", () => {
    const h = harness();
    h.edit("a");
    h.answer(0, "same");
    const shown = { sms: h.state().sms };
    h.edit("b");
    h.answer(1, "same");
    expect(h.state().sms).toBe(shown.sms);
    h.edit("c");
    h.answer(2, "changed");
    expect(h.state().sms).not.toBe(shown.sms);
    expect(h.state().sms?.text).toBe("changed");
  });
});
