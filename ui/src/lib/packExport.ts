/**
 * The export dialog's logic, kept out of the component so it is unit-tested: what selection
 * the choices make, when exporting may start, how far the progress bar is, and how sizes and
 * reasons read in each language. Which templates go in is always the core's answer.
 */
import type { Lang } from "./i18n/index.svelte";
import type { MessageKey } from "./i18n/en";
import type { PackSelectionInput } from "./types/PackSelectionInput";
import type { PackPlanView } from "./types/PackPlanView";
import type { PackProgressView } from "./types/PackProgressView";
import type { PackLeftOutView } from "./types/PackLeftOutView";
import type { PackStage } from "./types/PackStage";
import type { TemplateSummary } from "./types/TemplateSummary";

export type SelectionMode = "brand" | "tag" | "chosen";

export interface ExportChoices {
  mode: SelectionMode;
  brand: string;
  tag: string;
  /** Template ids ticked in "chosen" mode. */
  chosen: readonly string[];
}

/** The selection the core is asked about; `null` while the choices select nothing yet. */
export function selectionOf(c: ExportChoices): PackSelectionInput | null {
  switch (c.mode) {
    case "brand":
      return c.brand ? { brand: c.brand, tag: null, ids: [] } : null;
    case "tag":
      // Within the dialog's brand: a pack holds one brand's templates.
      return c.tag ? { brand: c.brand || null, tag: c.tag, ids: [] } : null;
    case "chosen":
      return c.chosen.length ? { brand: null, tag: null, ids: [...c.chosen].sort() } : null;
  }
}

/** Every tag of `templates`, sorted, each once. */
export function tagsOf(templates: readonly TemplateSummary[]): string[] {
  return [...new Set(templates.flatMap((t) => t.tags))].sort();
}

/** Why the export button is disabled, or `null` when it may start. */
export function blockedReason(plan: PackPlanView | null, out: string, running: boolean): MessageKey | null {
  if (running) return "pack.running";
  if (!plan) return "pack.noSelection";
  if (!plan.can_export) return "pack.notBrand";
  if (plan.included.length === 0) return "pack.nothingApproved";
  if (!out.trim()) return "pack.noPath";
  return null;
}

/**
 * How much of the bar is filled (0–100). Collecting is most of an export's time for small
 * packs and compressing for large ones; the stages share the bar 50 / 45 / 5 so it only moves
 * forwards across them.
 */
const STAGE_SPAN: Record<PackStage, [number, number]> = {
  collect: [0, 50],
  write: [50, 95],
  sign: [95, 100],
};

export function progressPercent(p: PackProgressView | null): number {
  if (!p) return 0;
  const [from, to] = STAGE_SPAN[p.stage];
  const part = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  return Math.round(from + (to - from) * part);
}

export function stageKey(stage: PackStage): MessageKey {
  return stage === "collect" ? "pack.stage.collect" : stage === "write" ? "pack.stage.write" : "pack.stage.sign";
}

/** `1.3 MB`, `512 kB`, `80 B` (decimal units, as file managers show them). */
export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}

/** Why a template is left out, in the UI's language. */
export function leftOutReason(l: PackLeftOutView, lang: Lang): string {
  return lang === "ja" ? l.why_ja : l.why_en;
}

/** The key fingerprint grouped in fours for reading aloud (`1A2B 3C4D …`). */
export function groupedFingerprint(key: string): string {
  return key.replace(/(.{4})(?=.)/g, "$1 ");
}
