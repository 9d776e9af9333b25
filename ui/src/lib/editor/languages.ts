import type { Extension } from "@codemirror/state";
import { markdown } from "@codemirror/lang-markdown";
import { json } from "@codemirror/lang-json";
import { StreamLanguage } from "@codemirror/language";
import { toml } from "@codemirror/legacy-modes/mode/toml";
import { autocompletion } from "@codemirror/autocomplete";
import { teraHighlight } from "./tera";
import { componentCompletions } from "./components";

/** Component calls completed inside `{{ … }}` in every channel source. */
const components = autocompletion({ override: [componentCompletions] });

/** Syntax for a template file by its name; every channel source also gets Tera tags. */
export function languageFor(path: string): Extension[] {
  if (path.endsWith(".md")) return [markdown(), teraHighlight, components];
  if (path.endsWith(".toml")) return [StreamLanguage.define(toml), teraHighlight, components];
  if (path.endsWith(".json")) return [json()];
  return [teraHighlight, components];
}
