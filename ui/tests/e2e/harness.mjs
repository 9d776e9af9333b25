// Starts the real app under tauri-driver (which drives WebKitWebDriver) with a fresh library,
// and gives tests a webdriverio browser. Stops tauri-driver with SIGTERM only: after SIGKILL
// its WebKitWebDriver child lives on and keeps the test's output open.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, cpSync, readdirSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../../..");
export const appBinary = resolve(process.env.CCM_APP_BIN ?? join(repoRoot, "target/debug/ccm-studio"));
export const screenshotDir = resolve(process.env.CCM_E2E_SCREENSHOTS ?? join(repoRoot, "target/e2e-screenshots"));

/** Ids of the bundled sample templates of `brand` (read from templates/<id>/template.toml). */
export function sampleIdsOfBrand(brand) {
  const dir = join(repoRoot, "templates");
  return readdirSync(dir)
    .filter((id) => !id.startsWith("_") && existsSync(join(dir, id, "template.toml")))
    .filter((id) => new RegExp(`^brand\\s*=\\s*"${brand}"`, "m").test(readFileSync(join(dir, id, "template.toml"), "utf8")))
    .sort();
}

function listenAnywhere() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => ok(srv));
  });
}

/**
 * Two different free ports (the driver's and WebKitWebDriver's). Both are held open while the
 * second is chosen: picked one after the other, the OS can hand out the same port twice, and a
 * driver told to share its port with WebKitWebDriver floods its output with errors forever.
 */
async function twoFreePorts() {
  const servers = [await listenAnywhere(), await listenAnywhere()];
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  return ports;
}

async function waitForPort(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((res) => {
      const s = createServer();
      s.once("error", () => res(true)); // in use: the driver is listening
      s.listen(port, "127.0.0.1", () => s.close(() => res(false)));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${ms} ms`);
}

/** The driver's output, up to a limit: a driver stuck in an error loop must not flood the log. */
const DRIVER_OUTPUT_LIMIT = 64 * 1024;
function forwardCapped(from, to) {
  let written = 0;
  from.on("data", (chunk) => {
    if (written >= DRIVER_OUTPUT_LIMIT) return;
    const room = DRIVER_OUTPUT_LIMIT - written;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    written += part.length;
    to.write(part);
    if (written >= DRIVER_OUTPUT_LIMIT) to.write("\n[tauri-driver output cut at 64 KB]\n");
  });
}

function killGroup(driver, signal) {
  try {
    process.kill(-driver.pid, signal);
  } catch {
    /* the group is already gone */
  }
}

/**
 * Starts driver + app; returns { browser, stop, libraryDir, samplesDir, homeDir, started }.
 * `samples: false` runs the app on the sample library and rule packs built into it (no
 * CCM_SAMPLES / CCM_RULES), as installed. `libraryDir` / `homeDir` reuse a previous run's
 * library and settings (a restart); by default both are new.
 */
export async function startApp({ env = {}, samples = true, libraryDir: reuseLibrary, homeDir: reuseHome } = {}) {
  const libraryDir = reuseLibrary ?? mkdtempSync(join(tmpdir(), "ccm-e2e-"));
  // A copy of the sample library: the app imports it on first start and watches it, and the
  // tests edit its files like a person in a text editor would — never the repository's own.
  const samplesDir = join(libraryDir, "samples");
  if (samples && !reuseLibrary) {
    cpSync(join(repoRoot, "templates"), join(samplesDir, "templates"), { recursive: true });
    cpSync(join(repoRoot, "assets"), join(samplesDir, "assets"), { recursive: true });
  }
  // The app's settings (window, last template) and web storage go to XDG folders of this run,
  // never the tester's own.
  const homeDir = reuseHome ?? join(libraryDir, "home");
  mkdirSync(screenshotDir, { recursive: true });
  const baseEnv = { ...process.env };
  if (!samples) {
    delete baseEnv.CCM_SAMPLES;
    delete baseEnv.CCM_RULES;
  }
  const driverBin = process.env.TAURI_DRIVER ?? join(process.env.HOME ?? "/root", ".cargo/bin/tauri-driver");
  const launch = async () => {
    const [port, nativePort] = await twoFreePorts();
    const driver = spawn(driverBin, ["--port", String(port), "--native-port", String(nativePort)], {
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: WebKitWebDriver and the app it launches join it, so stop() can
      // end all of them. An app left running holds the test runner's output pipe open, and the
      // whole suite then never exits.
      detached: true,
      env: {
        ...baseEnv,
        CCM_LIBRARY: join(libraryDir, "library.sqlite"),
        ...(samples ? { CCM_SAMPLES: samplesDir } : {}),
        XDG_CONFIG_HOME: join(homeDir, "config"),
        XDG_DATA_HOME: join(homeDir, "data"),
        ...env,
      },
    });
    forwardCapped(driver.stdout, process.stdout);
    forwardCapped(driver.stderr, process.stderr);
    driver.exited = false;
    driver.once("exit", () => (driver.exited = true));
    return { driver, port };
  };
  // A free port can be taken by another program between the check and the driver's bind;
  // then start again on other ports.
  let driver;
  let port;
  for (let attempt = 1; ; attempt++) {
    ({ driver, port } = await launch());
    try {
      await waitForPort(port, 10_000);
      // "In use" could be someone else's listener: ours must still be running.
      await new Promise((r) => setTimeout(r, 300));
      if (driver.exited) throw new Error(`tauri-driver exited: port ${port} was taken`);
      break;
    } catch (e) {
      killGroup(driver, "SIGKILL");
      if (attempt === 3) throw e;
    }
  }
  const started = Date.now();
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    capabilities: { "tauri:options": { application: appBinary } },
  });
  const stop = async () => {
    try {
      await browser.deleteSession();
    } catch {
      /* the app may already be gone */
    }
    const group = (signal) => killGroup(driver, signal);
    await new Promise((res) => {
      driver.once("exit", res);
      group("SIGTERM");
      setTimeout(res, 5000);
    });
    // Whatever ignored SIGTERM (the app, a web process) must not outlive the test file.
    await new Promise((res) => setTimeout(res, 300));
    group("SIGKILL");
  };
  return { browser, stop, libraryDir, samplesDir, homeDir, started };
}

export async function shot(browser, name) {
  // A screenshot right after a DOM change can show the previous frame.
  await new Promise((r) => setTimeout(r, 500));
  await browser.saveScreenshot(join(screenshotDir, `${name}.png`));
}

/**
 * `waitFor(fn, message, timeout)` for a spec: waits until `fn` is true and, when it gives up,
 * saves a screenshot named `<prefix><message>` before failing. `getBrowser` because specs
 * assign their browser in `before`.
 */
export function makeWaitFor(getBrowser, prefix) {
  return async (fn, message, timeout = 15_000) => {
    const browser = getBrowser();
    try {
      await browser.waitUntil(fn, { timeout, interval: 50, timeoutMsg: message });
    } catch (e) {
      await shot(browser, `${prefix}${message.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}`);
      throw e;
    }
  };
}
