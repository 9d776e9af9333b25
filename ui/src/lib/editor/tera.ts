import { Decoration, MatchDecorator, ViewPlugin, type DecorationSet, type EditorView, type ViewUpdate } from "@codemirror/view";

/**
 * Tera tags highlighted on top of any base language (Markdown, TOML, plain text): an overlay
 * rather than a full grammar, because the tags may sit anywhere inside the host syntax.
 */
export const TERA_TAG = /\{\{[^\n]*?\}\}|\{%-?[^\n]*?-?%\}|\{#[^\n]*?#\}/g;

const expression = Decoration.mark({ class: "cm-tera cm-tera-expr" });
const statement = Decoration.mark({ class: "cm-tera cm-tera-stmt" });
const comment = Decoration.mark({ class: "cm-tera cm-tera-comment" });

const matcher = new MatchDecorator({
  regexp: TERA_TAG,
  decoration: (m) => (m[0].startsWith("{{") ? expression : m[0].startsWith("{%") ? statement : comment),
});

export const teraHighlight = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = matcher.createDeco(view);
    }
    update(update: ViewUpdate) {
      this.decorations = matcher.updateDeco(update, this.decorations);
    }
  },
  { decorations: (v) => v.decorations },
);
