import { describe, expect, it } from "vitest";
import { groupByLicence } from "../../src/lib/licences";

const pkg = (name: string, licence: string) => ({ name, version: "1.0.0", licence, repository: "" });

describe("groupByLicence", () => {
  it("puts the most common licence first and keeps every package once", () => {
    const groups = groupByLicence([
      pkg("a", "MIT"),
      pkg("b", "Apache-2.0 OR MIT"),
      pkg("c", "MIT"),
      pkg("d", "ISC"),
      pkg("e", "Apache-2.0 OR MIT"),
      pkg("f", "MIT"),
    ]);
    expect(groups.map(([l, list]) => [l, list.map((p) => p.name)])).toEqual([
      ["MIT", ["a", "c", "f"]],
      ["Apache-2.0 OR MIT", ["b", "e"]],
      ["ISC", ["d"]],
    ]);
  });

  it("orders licences used equally often by name", () => {
    expect(groupByLicence([pkg("x", "Zlib"), pkg("y", "BSD-3-Clause")]).map(([l]) => l)).toEqual(["BSD-3-Clause", "Zlib"]);
  });
});
