import type { PackageLicence } from "./types/PackageLicence";

/**
 * Packages grouped by their licence expression, the most common licence first (ties by name),
 * each group in the order given — how About lists hundreds of crates readably.
 */
export function groupByLicence(packages: PackageLicence[]): [string, PackageLicence[]][] {
  const groups = new Map<string, PackageLicence[]>();
  for (const p of packages) {
    const group = groups.get(p.licence);
    if (group) group.push(p);
    else groups.set(p.licence, [p]);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
}
