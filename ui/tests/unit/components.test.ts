import { describe, expect, it } from "vitest";
import { EditorState } from "@codemirror/state";
import { CompletionContext } from "@codemirror/autocomplete";
import { COMPONENTS, componentCompletions } from "../../src/lib/editor/components";

function complete(doc: string, explicit = false) {
  const state = EditorState.create({ doc });
  return componentCompletions(new CompletionContext(state, doc.length, explicit));
}

describe("component completions", () => {
  it("offers every component inside an open Tera expression", () => {
    const result = complete("Hi {{ bu");
    expect(result).not.toBeNull();
    expect(result!.from).toBe("Hi {{ ".length);
    expect(result!.options.map((o) => o.label)).toEqual(COMPONENTS.map((c) => c.name));
    const button = result!.options.find((o) => o.label === "button");
    expect(button!.apply).toBe('button(label="", url="https://")');
  });

  it("stays quiet in copy and after a closed expression", () => {
    expect(complete("Shop the sale bu")).toBeNull();
    expect(complete("{{ customer.name }} bu")).toBeNull();
  });

  it("names the same functions as the renderer registers", () => {
    expect(COMPONENTS.map((c) => c.name)).toEqual([
      "button", "columns", "next_column", "end_columns", "hero", "divider", "spacer",
      "table", "callout", "signature", "qr", "customer_barcode",
    ]);
  });
});
