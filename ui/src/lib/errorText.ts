import { i18n } from "./i18n/index.svelte";
import type { Localized } from "./types/Localized";

/**
 * An IPC error in the UI language. The Rust side's `message` stays the detail (it names files,
 * lines and ids, in English); `summary` is what the error's code means, from the core's code
 * registry, so Japanese users read a Japanese summary first.
 */
export function localizedError(summary: Localized | null, message: string): string {
  if (i18n.lang !== "ja" || !summary?.ja) return message;
  return `${summary.ja}: ${message}`;
}
