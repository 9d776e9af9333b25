import type { LibraryEvent } from "./types/LibraryEvent";
import type { Diagnostic } from "./types/Diagnostic";

/** A template edited both in the watched folder and in the app; nothing was imported. */
export type WatchConflict = Extract<LibraryEvent, { kind: "watch_conflict" }>;

/** True when `file` (absolute, or relative to the watched folder) lies in folder `dir`. */
function inFolder(file: string | null, dir: string): boolean {
  const f = file ?? "";
  return f.startsWith(`${dir}/`) || f.includes(`/${dir}/`);
}

/**
 * The problems of files saved broken in the watched folder, kept until that file's template
 * (or block, or brand kit) imports cleanly again. `file` is the path the watcher saw, e.g.
 * `/…/templates/<template-id>/sms.txt`.
 */
export function nextWatchProblems(current: readonly Diagnostic[], event: LibraryEvent): Diagnostic[] {
  switch (event.kind) {
    case "watch_problem": {
      const files = new Set(event.problems.map((p) => p.file));
      return [...current.filter((p) => !files.has(p.file)), ...event.problems];
    }
    case "template_changed":
      return current.filter((p) => !inFolder(p.file, event.template_id));
    case "brand_changed":
      return current.filter((p) => !inFolder(p.file, `brands/${event.brand_id}`));
    case "blocks_changed":
      return current.filter((p) => !inFolder(p.file, "_blocks"));
    case "watch_conflict":
      return [...current];
  }
}

/**
 * Open folder conflicts, one per template (the newest report wins), until the template's
 * folder and library agree again (any `template_changed` for it: a side was chosen, or the
 * files were made equal).
 */
export function nextWatchConflicts(
  current: readonly WatchConflict[],
  event: LibraryEvent,
): WatchConflict[] {
  if (event.kind === "watch_conflict") {
    return [...current.filter((c) => c.template_id !== event.template_id), event];
  }
  if (event.kind === "template_changed") {
    return current.filter((c) => c.template_id !== event.template_id);
  }
  return [...current];
}

/** The last path component, as the banner names files (`sms.txt`, `data/typical.json`). */
export function shortFile(path: string, templateId: string): string {
  const marker = `/${templateId}/`;
  const at = path.lastIndexOf(marker);
  return at >= 0 ? path.slice(at + marker.length) : path;
}

/** `file:line:col` as editors print it. */
export function location(p: Diagnostic): string {
  return [p.file ?? "", p.line, p.column].filter((x) => x !== null && x !== "").join(":");
}
