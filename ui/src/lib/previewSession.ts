/**
 * The editing session of one open template: what the live preview shows and when it asks for
 * more. TemplateView only draws `PreviewState` and reports edits; everything about requests
 * lives here:
 * - one request per edit, at most one out at a time: an edit made while a render is out waits
 *   and goes with the next request (with every later edit), sent as soon as the panes of the
 *   one out have arrived — the Rust side then skips what is left of the older render;
 * - each pane is applied as soon as it arrives, unless a newer request already painted it
 *   ("newest response wins", per pane: {@link Latest});
 * - a channel that fails, or a template that does not parse, never wipes a pane: the last good
 *   rendition stays, marked by the problems beside it;
 * - how long each edit took to reach each pane, measured to the next frame after it was drawn
 *   (people and the end-to-end figures read these).
 */
import { Latest } from "./latest";
import type { Channel } from "./types/Channel";
import type { Diagnostic } from "./types/Diagnostic";
import type { EmailView } from "./types/EmailView";
import type { Outline } from "./types/Outline";
import type { PaneUpdate } from "./types/PaneUpdate";
import type { PreviewEvent } from "./types/PreviewEvent";
import type { PreviewRequest } from "./types/PreviewRequest";
import type { PrintPageView } from "./types/PrintPageView";
import type { PushView } from "./types/PushView";
import type { SmsView } from "./types/SmsView";

export const PANES: readonly Channel[] = ["email", "sms", "push", "print"];

/** Timings kept per series (the newest). */
const TIMINGS_KEPT = 1000;
/** Edits remembered while waiting to be painted (a template broken for long drops the oldest). */
const EDITS_KEPT = 400;

/** Per pane and all four, from the edit to the frame; `core`: the Rust side's time per request. */
export type TimingSeries = Channel | "all" | "core";

export interface PreviewState {
  outline: Outline | null;
  email: EmailView | null;
  sms: SmsView | null;
  push: PushView | null;
  print: PrintPageView | null;
  pdfBytes: number | null;
  /** Every problem on screen: the draft's (files set aside, unparsable files) and each pane's. */
  problems: Diagnostic[];
  findings: Diagnostic[];
  rulesError: string | null;
  /** A render is out. */
  busy: boolean;
  /**
   * ms from an edit to the frame showing it, per pane and for all panes, oldest first; `core`:
   * ms the Rust side took from receiving a request to sending its last pane.
   */
  timings: Record<TimingSeries, number[]>;
}

/** What the editor holds now; the session adds the sequence number. */
export interface Draft {
  template_id: string;
  files: Record<string, string>;
  persona: string | null;
  locale: string | null;
}

export interface SessionOptions {
  /** The editor's current template, files, persona and locale. */
  current: () => Draft;
  /**
   * Sends one request (the letter's page `printPage` at `printDpi`); events arrive in order on
   * `onEvent`. Rejects when nothing will come.
   */
  send: (request: PreviewRequest, printPage: number, printDpi: number, onEvent: (e: PreviewEvent) => void) => Promise<unknown>;
  /** Asks for another page of the newest laid-out letter. */
  page: (page: number, dpi: number) => Promise<PrintPageView>;
  /** The resolution the letter's page is shown at on screen (dots per inch of paper). */
  printDpi?: () => number;
  onchange: (state: PreviewState) => void;
  /** The outline of the newest draft (menus, channels). */
  onoutline?: (outline: Outline) => void;
  /** All panes of a request arrived (or it ended without them). */
  onsettled?: (state: PreviewState) => void;
  /** A failed request, shown as a problem. */
  problemOf: (e: unknown) => Diagnostic;
  /** Sequence numbers continue from here (the Rust side skips numbers it has seen). */
  seqStart?: number;
  now?: () => number;
  /** Runs `fn` once what was just drawn is on screen (the next animation frame). */
  afterPaint?: (fn: () => void) => void;
}

interface Edit {
  no: number;
  at: number;
  /** When each pane first showed it. */
  painted: Partial<Record<Channel, number>>;
  allDone: boolean;
}

interface Out {
  seq: number;
  /** The newest edit the request carries. */
  covers: number;
  /** Panes still to come. */
  waiting: Set<Channel>;
  /** The Rust side's time to the latest pane so far. */
  coreMs: number;
  settled: boolean;
}

export class PreviewSession {
  private readonly opts: SessionOptions;
  private readonly latest: Latest;
  private state: PreviewState;
  private draftProblems: Diagnostic[] = [];
  private readonly paneProblems = new Map<Channel, Diagnostic[]>();
  private requestError: Diagnostic | null = null;
  private edits: Edit[] = [];
  private editNo = 0;
  private sentEditNo = 0;
  private readonly paintedEditNo = new Map<Channel, number>();
  private out: Out | null = null;
  private printPage = 1;
  private closed = false;

  constructor(opts: SessionOptions) {
    this.opts = opts;
    this.latest = new Latest(opts.seqStart ?? 0);
    this.state = {
      outline: null,
      email: null,
      sms: null,
      push: null,
      print: null,
      pdfBytes: null,
      problems: [],
      findings: [],
      rulesError: null,
      busy: false,
      timings: { email: [], sms: [], push: [], print: [], all: [], core: [] },
    };
  }

  get snapshot(): PreviewState {
    return this.state;
  }

  /** The newest sequence number used (to continue from in the next session). */
  get newestSeq(): number {
    return this.latest.newest;
  }

  /** The files, persona or locale changed: show it. */
  changed(): void {
    if (this.closed) return;
    this.editNo += 1;
    this.edits.push({ no: this.editNo, at: this.now(), painted: {}, allDone: false });
    if (this.edits.length > EDITS_KEPT) this.edits = this.edits.slice(-EDITS_KEPT);
    this.pump();
  }

  /** Turns the letter to `page` (1-based); later renders keep showing it. */
  async showPage(page: number): Promise<void> {
    this.printPage = Math.max(1, page);
    const view = await this.opts.page(this.printPage, this.printDpi());
    // A page of an older letter than the one on screen is not shown.
    if (this.closed || (this.state.print && view.seq < this.state.print.seq)) return;
    this.update({ print: view });
  }

  /** No more requests or updates (the template was closed). */
  close(): void {
    this.closed = true;
  }

  private printDpi(): number {
    return this.opts.printDpi?.() ?? 110;
  }

  private now(): number {
    return (this.opts.now ?? (() => performance.now()))();
  }

  private pump(): void {
    if (this.out && !this.out.settled) return;
    if (this.sentEditNo >= this.editNo) return;
    const seq = this.latest.next();
    const covers = this.editNo;
    this.sentEditNo = covers;
    const out: Out = { seq, covers, waiting: new Set(PANES), settled: false, coreMs: 0 };
    this.out = out;
    this.update({ busy: true });
    const request: PreviewRequest = { seq, ...this.opts.current() };
    this.opts
      .send(request, this.printPage, this.printDpi(), (e) => this.onEvent(out, e))
      .catch((e) => this.failed(out, e));
  }

  private onEvent(out: Out, e: PreviewEvent): void {
    if (this.closed) return;
    switch (e.kind) {
      case "draft": {
        if (!this.latest.accept(e.seq, "draft")) break;
        this.requestError = null;
        this.draftProblems = e.problems;
        if (e.outline) this.opts.onoutline?.(e.outline);
        const expected = new Set<Channel>(e.outline?.channels ?? PANES);
        // Panes the template does not have are not waited for (nor timed).
        for (const ch of PANES) if (!expected.has(ch)) out.waiting.delete(ch);
        this.update({ outline: e.outline ?? this.state.outline });
        if (!e.renderable) this.settle(out);
        break;
      }
      case "pane":
        this.applyPane(out, e);
        break;
      case "findings":
        if (!this.latest.accept(e.seq, "findings")) break;
        this.update({ findings: same(this.state.findings, e.findings), rulesError: e.rules_error });
        break;
      case "print_pdf":
        if (!this.latest.accept(e.seq, "pdf")) break;
        this.update({ pdfBytes: e.pdf_bytes });
        break;
      case "done":
        this.settle(out);
        break;
    }
  }

  private applyPane(out: Out, pane: PaneUpdate): void {
    out.waiting.delete(pane.channel);
    out.coreMs = Math.max(out.coreMs, pane.elapsed_ms);
    if (out.waiting.size === 0) this.record("core", out.coreMs);
    if (this.latest.accept(pane.seq, pane.channel)) {
      this.paneProblems.set(pane.channel, pane.problems);
      const change: Partial<PreviewState> = {};
      // No view: the channel failed or its file is set aside; the last good one stays. A view
      // equal to the one on screen keeps the one on screen (an edit of another channel's
      // file): that pane is not drawn again.
      if (pane.email) change.email = same(this.state.email, pane.email);
      if (pane.sms) change.sms = same(this.state.sms, pane.sms);
      if (pane.push) change.push = same(this.state.push, pane.push);
      if (pane.print) change.print = samePage(this.state.print, pane.print);
      this.update(change);
      this.timePaint(pane.channel, out.covers);
    }
    if (out.waiting.size === 0) this.settle(out);
  }

  private failed(out: Out, e: unknown): void {
    if (this.closed) return;
    const code = typeof e === "object" && e !== null && "code" in e ? (e as { code: unknown }).code : null;
    // Overtaken by a newer request on the Rust side: that request answers instead.
    if (code !== "superseded" && this.latest.accept(out.seq, "draft")) {
      this.requestError = this.opts.problemOf(e);
      this.update({});
    }
    this.settle(out);
  }

  private settle(out: Out): void {
    if (out.settled) return;
    out.settled = true;
    if (this.out === out) {
      this.update({ busy: this.sentEditNo < this.editNo });
      this.opts.onsettled?.(this.state);
    }
    this.pump();
  }

  private update(change: Partial<PreviewState>): void {
    const problems = [
      ...(this.requestError ? [this.requestError] : []),
      ...this.draftProblems,
      ...PANES.flatMap((ch) => this.paneProblems.get(ch) ?? []),
    ];
    this.state = { ...this.state, ...change, problems };
    this.opts.onchange(this.state);
  }

  private record(series: TimingSeries, ms: number): void {
    const timings = { ...this.state.timings };
    timings[series] = [...timings[series].slice(-(TIMINGS_KEPT - 1)), Math.round(ms)];
    this.state = { ...this.state, timings };
  }

  /** Records, once on screen, how long each edit up to `covers` took to reach `channel`. */
  private timePaint(channel: Channel, covers: number): void {
    const from = this.paintedEditNo.get(channel) ?? 0;
    if (covers <= from) return;
    this.paintedEditNo.set(channel, covers);
    const shown = this.edits.filter((e) => e.no > from && e.no <= covers);
    const after = this.opts.afterPaint ?? ((fn: () => void) => requestAnimationFrame(() => fn()));
    after(() => {
      const at = this.now();
      const timings = { ...this.state.timings };
      const add = (series: TimingSeries, ms: number) => {
        timings[series] = [...timings[series].slice(-(TIMINGS_KEPT - 1)), Math.round(ms)];
      };
      const expected = this.state.outline?.channels ?? PANES;
      for (const edit of shown) {
        edit.painted[channel] = at;
        add(channel, at - edit.at);
        if (!edit.allDone && expected.every((ch) => edit.painted[ch] !== undefined)) {
          edit.allDone = true;
          add("all", Math.max(...expected.map((ch) => edit.painted[ch] ?? at)) - edit.at);
        }
      }
      this.edits = this.edits.filter((e) => !e.allDone);
      this.state = { ...this.state, timings };
      this.opts.onchange(this.state);
    });
  }
}

/** `next`, or `current` when it holds the same values (so what draws it need not draw again). */
function same<T>(current: T, next: T): T {
  return current !== null && JSON.stringify(current) === JSON.stringify(next) ? current : next;
}

/** The same page image of a newer letter keeps the one on screen (its `seq` moves on). */
function samePage(current: PrintPageView | null, next: PrintPageView): PrintPageView {
  if (!current || current.image !== next.image) return next;
  return same({ ...current, seq: next.seq }, next) === next ? next : current;
}
