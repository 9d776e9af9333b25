/**
 * The brand kits on the UI side: one cached list shared by the library rows (their logos) and
 * the Brands view, and the small decisions the Brands view makes about showing a kit. The
 * kits themselves, their thumbnails and the contrast verdicts come from the core.
 */
import type { MessageKey } from "./i18n/en";
import type { BrandKitSummary } from "./types/BrandKitSummary";
import type { ContrastRow } from "./types/ContrastRow";
import type { LibraryEvent } from "./types/LibraryEvent";

type Listener = (kits: BrandKitSummary[]) => void;

/**
 * The brand kit summaries, fetched once and shared. A library of 10,000 templates has only a
 * handful of kits, so every row looks its logo up here instead of asking the core.
 */
export class BrandKitCache {
  private kits: Promise<BrandKitSummary[]> | null = null;
  private readonly listeners = new Set<Listener>();
  private listening = false;

  /**
   * `load` fetches the kits; `listen` subscribes to library events (kits and template counts
   * change when the watched folder changes), called once on first use.
   */
  constructor(
    private readonly load: () => Promise<BrandKitSummary[]>,
    private readonly listen: (handler: (event: LibraryEvent) => void) => unknown = () => undefined,
  ) {}

  /** The kits, fetched on the first call; after a failed fetch the next call tries again. */
  list(): Promise<BrandKitSummary[]> {
    if (!this.listening) {
      this.listening = true;
      this.listen((event) => this.noteEvent(event));
    }
    if (!this.kits) {
      const pending = this.load();
      this.kits = pending;
      pending.catch(() => {
        if (this.kits === pending) this.kits = null;
      });
    }
    return this.kits;
  }

  /**
   * Calls `fn` with the kits now and again after every reload, until the returned function is
   * called. `fail` hears about a failed fetch.
   */
  subscribe(fn: Listener, fail: (error: unknown) => void = () => undefined): () => void {
    this.listeners.add(fn);
    this.deliver([fn], fail);
    return () => {
      this.listeners.delete(fn);
    };
  }

  /** Forgets the kits (another library was opened) and reloads them for the subscribers. */
  invalidate(): void {
    this.kits = null;
    if (this.listeners.size > 0) this.deliver([...this.listeners], () => undefined);
  }

  /**
   * Anything the watched folder stored may change the kits or their template counts (a kit, a
   * template moving to another kit); a problem report stores nothing.
   */
  noteEvent(event: LibraryEvent): void {
    if (event.kind !== "watch_problem" && event.kind !== "watch_conflict") this.invalidate();
  }

  private deliver(to: Listener[], fail: (error: unknown) => void): void {
    const pending = this.list();
    pending.then(
      (kits) => {
        // A reload started meanwhile: its answer is the one to show.
        if (this.kits !== pending) return;
        for (const fn of to) if (this.listeners.has(fn)) fn(kits);
      },
      (error) => {
        if (this.kits === pending || this.kits === null) fail(error);
      },
    );
  }
}

/** Brand id → logo URL, for the kits that have a logo thumbnail. */
export function logoMap(kits: readonly BrandKitSummary[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const kit of kits) if (kit.logo) map.set(kit.id, kit.logo);
  return map;
}

/** The contrast pairs the core reports, each with its label in the UI strings. */
const PAIR_KEYS: Record<string, MessageKey> = {
  "text-on-background": "brands.pair.textOnBackground",
  "muted-on-background": "brands.pair.mutedOnBackground",
  "primary-on-background": "brands.pair.primaryOnBackground",
  "white-on-primary": "brands.pair.whiteOnPrimary",
  "text-on-primary": "brands.pair.textOnPrimary",
  "text-on-secondary": "brands.pair.textOnSecondary",
  "accent-on-background": "brands.pair.accentOnBackground",
  "white-on-accent": "brands.pair.whiteOnAccent",
};

/** Where a pair is used; `null` for a pair this UI does not know yet (show its colours only). */
export function pairKey(id: string): MessageKey | null {
  return PAIR_KEYS[id] ?? null;
}

const ROLE_KEYS: Record<string, MessageKey> = {
  primary: "brands.role.primary",
  secondary: "brands.role.secondary",
  text: "brands.role.text",
  background: "brands.role.background",
  muted: "brands.role.muted",
  accent: "brands.role.accent",
  white: "brands.role.white",
};

/** The label of a colour role; `null` for a role this UI does not know (show the raw name). */
export function roleKey(role: string): MessageKey | null {
  return ROLE_KEYS[role] ?? null;
}

/** `4.5` → `4.50:1`. The core already rounded down, so a failing pair never shows 4.50. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}:1`;
}

/** Pairs that fail AA for normal text, the number a card or heading summarises. */
export function failingPairs(rows: readonly ContrastRow[]): number {
  return rows.filter((r) => !r.aa_normal).length;
}

/**
 * A font family name as a CSS `font-family` value that shows the name in that font: quoted,
 * with quotes and backslashes escaped, so a name with spaces or quotes stays one family.
 */
export function cssFamily(name: string): string {
  return `"${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** First 12 hex characters of a content hash, as the rest of the app shows versions. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
