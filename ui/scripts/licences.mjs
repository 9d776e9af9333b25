#!/usr/bin/env node
// Writes the licence lists About shows and the binaries carry (assets/licences/):
//   rust-crates.tsv   every crate of Cargo.lock but the workspace's own (from `cargo metadata`)
//   npm-packages.tsv  the npm packages whose code ends up in the UI bundle: ui/package.json's
//                     dependencies, the Svelte runtime (a devDependency compiled into the bundle)
//                     and everything they depend on (from ui/package-lock.json)
// Run after changing Cargo.lock or ui/package-lock.json: `node ui/scripts/licences.mjs`.
// `cargo test -p ccm-bundled` fails when Cargo.lock has a crate the list lacks.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const out = join(root, "assets/licences");
const clean = (s) => String(s ?? "").replace(/[\t\r\n]+/g, " ").trim();
const tsv = (rows) =>
  ["name\tversion\tlicence\trepository", ...rows.map((r) => [r.name, r.version, r.licence, r.repository].map(clean).join("\t"))].join("\n") + "\n";
const byNameVersion = (a, b) => (a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1);

// Rust: all platforms (a crate used only on Windows is still in Cargo.lock, and the test checks
// Cargo.lock), so no --filter-platform.
const meta = JSON.parse(
  execFileSync("cargo", ["metadata", "--format-version", "1", "--locked"], { cwd: root, maxBuffer: 256 << 20 }).toString(),
);
const crates = meta.packages
  .filter((p) => p.source !== null)
  .map((p) => ({
    name: p.name,
    version: p.version,
    licence: p.license ?? (p.license_file ? `see ${p.license_file.split("/").pop()} in the crate` : "UNKNOWN"),
    repository: p.repository ?? p.homepage ?? "",
  }))
  .sort(byNameVersion);
writeFileSync(join(out, "rust-crates.tsv"), tsv(crates));

// npm: walk the lock from the shipped roots, resolving a dependency the way Node does
// (nested node_modules first, then the top level).
const lock = JSON.parse(readFileSync(join(root, "ui/package-lock.json"), "utf8"));
const pkg = JSON.parse(readFileSync(join(root, "ui/package.json"), "utf8"));
const entries = lock.packages;
const resolveDep = (from, name) => {
  for (let dir = from; ; ) {
    const key = `${dir ? dir + "/" : ""}node_modules/${name}`;
    if (entries[key]) return key;
    if (!dir) return null;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut === -1 ? "" : dir.slice(0, cut);
  }
};
const seen = new Set();
const queue = [...Object.keys(pkg.dependencies ?? {}), "svelte"].map((n) => resolveDep("", n)).filter(Boolean);
while (queue.length) {
  const key = queue.pop();
  if (seen.has(key)) continue;
  seen.add(key);
  for (const dep of Object.keys(entries[key].dependencies ?? {})) {
    const found = resolveDep(key, dep);
    if (found) queue.push(found);
  }
}
const npm = [...seen]
  .map((key) => {
    const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
    const manifest = join(root, "ui", key, "package.json");
    let repository = "";
    if (existsSync(manifest)) {
      const m = JSON.parse(readFileSync(manifest, "utf8"));
      repository = typeof m.repository === "string" ? m.repository : (m.repository?.url ?? m.homepage ?? "");
    }
    return { name, version: entries[key].version, licence: entries[key].license ?? "UNKNOWN", repository };
  })
  .sort(byNameVersion);
writeFileSync(join(out, "npm-packages.tsv"), tsv(npm));
console.log(`assets/licences: ${crates.length} Rust crates, ${npm.length} npm packages`);
