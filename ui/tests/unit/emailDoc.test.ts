import { describe, it, expect } from "vitest";
import { emailDocument, remoteImageCount, BLOCK_REMOTE } from "../../src/lib/emailDoc";

describe("emailDocument", () => {
  const html = '<html><body><img src="https://cdn.example.com/a.png" alt="A"></body></html>';

  it("blocks remote content by default and only when asked loads it", () => {
    expect(emailDocument(html, { dark: false, remote: false }).startsWith(BLOCK_REMOTE)).toBe(true);
    expect(emailDocument(html, { dark: false, remote: true })).toBe(html);
    expect(BLOCK_REMOTE).toContain("img-src data: blob:");
    expect(BLOCK_REMOTE).not.toContain("https");
  });

  it("adds the dark-mode image filter after the policy", () => {
    const doc = emailDocument(html, { dark: true, remote: false });
    expect(doc.indexOf("invert(1)")).toBeGreaterThan(doc.indexOf("Content-Security-Policy"));
    expect(doc.endsWith(html)).toBe(true);
  });

  it("counts remote images only", () => {
    const mixed = `${html}<img src="data:image/png;base64,AA" alt=""><IMG SRC='http://x.example/p.gif'>`;
    expect(remoteImageCount(mixed)).toBe(2);
    expect(remoteImageCount("<p>no images</p>")).toBe(0);
  });
});
