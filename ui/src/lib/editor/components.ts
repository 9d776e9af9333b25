import type { Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";

/**
 * The component functions of templates (docs/FILE-FORMAT.md, "Components"), offered as
 * completions inside `{{ … }}`. The list matches `ccm_render::components::FUNCTIONS`; each
 * snippet is a call with its required arguments, so a designer can start from it.
 */
export const COMPONENTS: readonly { name: string; snippet: string; info: string }[] = [
  { name: "button", snippet: 'button(label="", url="https://")', info: "Call to action: email button, SMS link, push action, printed URL + QR" },
  { name: "columns", snippet: "columns(count=2)", info: "Start 2–3 columns (stacked on phones, in SMS and push)" },
  { name: "next_column", snippet: "next_column()", info: "Move on to the next column" },
  { name: "end_columns", snippet: "end_columns()", info: "Close the columns" },
  { name: "hero", snippet: 'hero(image="brands/", alt="", text="")', info: "Brand-kit image with alt text and overlay text" },
  { name: "divider", snippet: "divider()", info: "Rule in the brand colour" },
  { name: "spacer", snippet: 'spacer(size="medium")', info: "Space: small, medium or large" },
  { name: "table", snippet: 'table(rows=, columns=[], headers=[])', info: "Data table; aligned plain text in SMS and the text part" },
  { name: "callout", snippet: 'callout(title="", text="", tone="info")', info: "Notice box: info or warning" },
  { name: "signature", snippet: 'signature(name="", title="", organisation="")', info: "Signature block" },
  { name: "qr", snippet: 'qr(url="https://", label="")', info: "QR code on letters; a link in email and SMS" },
  { name: "customer_barcode", snippet: "customer_barcode(postal_code=customer.postal_code, address=customer.address)", info: "Japan Post customer barcode under the letter's address" },
];

/** Inside an open `{{ … ` on the current line, the word being typed. */
function openExpression(before: string): boolean {
  const open = before.lastIndexOf("{{");
  return open >= 0 && before.indexOf("}}", open) < 0;
}

/** Completion source: component calls inside Tera expressions. */
export function componentCompletions(context: CompletionContext): CompletionResult | null {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  if (!openExpression(before)) return null;
  const word = context.matchBefore(/[a-z_]*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  const options: Completion[] = COMPONENTS.map((c) => ({
    label: c.name,
    type: "function",
    apply: c.snippet,
    info: c.info,
  }));
  return { from: word.from, options, validFor: /^[a-z_]*$/ };
}
