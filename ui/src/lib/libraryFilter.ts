import type { TemplateSummary } from "./types/TemplateSummary";

export interface Facets {
  tags: string[];
  brands: string[];
  industries: string[];
}

/** The values the filter menus offer, sorted, from the unfiltered list. */
export function facets(all: readonly TemplateSummary[]): Facets {
  const tags = new Set<string>();
  const brands = new Set<string>();
  const industries = new Set<string>();
  for (const s of all) {
    s.tags.forEach((t) => tags.add(t));
    brands.add(s.brand);
    industries.add(s.industry);
  }
  const sorted = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b));
  return { tags: sorted(tags), brands: sorted(brands), industries: sorted(industries) };
}

/**
 * Rows to show: the filtered list, narrowed to search hits (in hit order, best first) when a
 * search is active.
 */
export function visibleRows(
  filtered: readonly TemplateSummary[],
  hitIds: readonly string[] | null,
): TemplateSummary[] {
  if (hitIds === null) return [...filtered];
  const byId = new Map(filtered.map((s) => [s.id, s]));
  const rows: TemplateSummary[] = [];
  const seen = new Set<string>();
  for (const id of hitIds) {
    const s = byId.get(id);
    if (s && !seen.has(id)) {
      rows.push(s);
      seen.add(id);
    }
  }
  return rows;
}

/** Which rows of a fixed-height list are on screen (plus a little overscan). */
export function windowRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { start, end };
}
