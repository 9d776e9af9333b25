import { i18n, t, type MessageKey } from "./i18n/index.svelte";

/**
 * What an IPC error `code` means, in the UI language. The Rust side's `message` stays the
 * detail (it names files, lines and ids, in English); Japanese users get a Japanese summary
 * first so they know what happened without reading the detail.
 */
const SUMMARY: Record<string, MessageKey> = {
  library_missing: "errorCode.library_missing",
  not_a_library: "errorCode.not_a_library",
  library_too_new: "errorCode.library_too_new",
  not_found: "errorCode.not_found",
  already_exists: "errorCode.already_exists",
  invalid_input: "errorCode.invalid_input",
  invalid: "errorCode.invalid",
  format: "errorCode.format",
  asset: "errorCode.asset",
  io: "errorCode.io",
  library_busy: "errorCode.library_busy",
  storage: "errorCode.storage",
  library_damaged: "errorCode.library_damaged",
  internal: "errorCode.internal",
  ipc: "errorCode.ipc",
};

/** `message`, led by a summary of `code` when the UI is Japanese and the code is known. */
export function localizedError(code: string, message: string): string {
  const key = SUMMARY[code];
  if (i18n.lang !== "ja" || key === undefined) return message;
  return `${t(key)}: ${message}`;
}
