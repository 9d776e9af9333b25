import type { Extension } from "@codemirror/state";
import { markdown } from "@codemirror/lang-markdown";
import { json } from "@codemirror/lang-json";
import { StreamLanguage } from "@codemirror/language";
import { toml } from "@codemirror/legacy-modes/mode/toml";
import { teraHighlight } from "./tera";

/** Syntax for a template file by its name; every channel source also gets Tera tags. */
export function languageFor(path: string): Extension[] {
  if (path.endsWith(".md")) return [markdown(), teraHighlight];
  if (path.endsWith(".toml")) return [StreamLanguage.define(toml), teraHighlight];
  if (path.endsWith(".json")) return [json()];
  return [teraHighlight];
}
