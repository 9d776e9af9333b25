#!/usr/bin/env bash
# Every UI test, headless: type check (svelte-check), unit tests (Vitest), then the end-to-end
# journeys on the real app (tauri-driver + WebKitWebDriver under Xvfb).
# Needs: the Debian packages libwebkit2gtk-4.1-dev, xvfb, webkit2gtk-driver,
# fonts-noto-cjk, cargo and node ≥ 20. Screenshots land in target/e2e-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# Same cargo feature set as ./studio, so this reuses its build instead of rebuilding.
read -r -a FEATURES <<<"${CARGO_FEATURES:---features ccm-studio/custom-protocol}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "Installing UI packages"
  npm --prefix ui ci --no-audit --no-fund
fi

say "UI type check"
npm --prefix ui run --silent check

say "UI unit tests"
npm --prefix ui run --silent test

# CCM_APP_BUILD=prebuilt: the caller (./studio test) already built the UI and, through
# `cargo test`, the app binary with the test build's features; building again here would
# compile a second copy of most dependencies (dev-dependencies change feature unification).
if [ "${CCM_APP_BUILD:-}" != prebuilt ]; then
  say "Building the UI and the app"
  npm --prefix ui run --silent build
  # ccm too: the brand kit journey prepares its library (an approval) with the CLI.
  cargo build -p ccm-studio -p ccm-cli "${FEATURES[@]}"
fi

if ! command -v tauri-driver >/dev/null && [ ! -x "${HOME}/.cargo/bin/tauri-driver" ]; then
  say "Installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked
fi
export TAURI_DRIVER="${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}"
export CCM_APP_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/ccm-studio"
export CCM_CLI_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/ccm"

# Each journey makes libraries, homes and folders under the temporary directory; give the run
# its own and remove it afterwards, so repeated runs do not fill the disk.
E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ccm-e2e-run-XXXXXX")
trap 'rm -rf "$E2E_TMP"' EXIT
export TMPDIR="$E2E_TMP"

say "End-to-end tests of the real app (screenshots: target/e2e-screenshots/)"
# A hung app must fail the run in minutes, not stall it until CI gives up.
E2E=(timeout --kill-after=30 1200 npm --prefix ui run --silent test:e2e)
if [ -n "${DISPLAY:-}" ] && [ -z "${CCM_E2E_XVFB:-}" ]; then
  "${E2E[@]}"
else
  xvfb-run -a -s "-screen 0 1400x900x24" "${E2E[@]}"
fi
