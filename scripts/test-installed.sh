#!/usr/bin/env bash
# The app and the command line as a user installs them, on a machine without this checkout:
#   1. bundles the .deb from the debug binary `cargo test` already built (`tauri bundle`, no
#      second compile) and checks its Depends;
#   2. extracts it (dpkg-deb -x) into a temporary root, with `ccm` copied beside it;
#   3. in a private mount namespace (unshare -m, root), hides every folder of the checkout the
#      binaries could read assets from (templates/ assets/ crates/ src-tauri/ tests/ docs/
#      target/ ui/dist ui/src) under empty read-only tmpfs mounts — only ui/node_modules and the
#      test files stay, for the WebDriver runner — and from an empty directory runs
#      `ccm --version`, `ccm rules list`, `ccm init`, `ccm import --samples`, `ccm check --all`
#      (under strace: no file under the checkout may even be looked up), then the installed app
#      under WebDriver on a fresh library without CCM_SAMPLES/CCM_RULES
#      (ui/tests/installed/installed.test.mjs): the bundled samples, four panes, findings.
# Without root or unshare it falls back to strace alone: the same runs with every file access
# of the CLI, tauri-driver, WebKitWebDriver and the app traced, failing on any path under the
# checkout (and where ptrace is forbidden too, runs them untraced with a warning).
# Needs: the debug build of ./studio test (target/debug/ccm-studio, target/debug/ccm, ui/dist),
# ui/node_modules (with @tauri-apps/cli), tauri-driver, xvfb-run, dpkg-deb, strace.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

if [ "${1:-}" = "--inside" ]; then
  # ---- runs inside the namespace (or the strace fallback) ----
  INSTALL=$2
  WORK=$(mktemp -d /tmp/ccm-installed-run-XXXXXX)
  cd "$WORK"
  CCM=$INSTALL/usr/local/bin/ccm
  export CCM_LIBRARY=$WORK/cli/library.sqlite
  unset CCM_SAMPLES CCM_RULES CCM_WATCH
  if [ -n "${CCM_HIDDEN:-}" ]; then
    [ -z "$(ls -A "$ROOT/templates")" ] && [ -z "$(ls -A "$ROOT/assets")" ] ||
      fail "the checkout is still readable inside the namespace"
  fi
  say "Installed ccm from an empty directory ($WORK)"
  "$CCM" --version | tee version.txt
  grep -qE '^ccm [0-9]+\.[0-9]+\.[0-9]+ \(build ([0-9a-f]{7,}|unknown)\)$' version.txt || fail "ccm --version"
  # strace where ptrace is allowed (some containers forbid it): then only the hidden checkout
  # (or nothing, see below) stands between the binaries and the tree.
  if strace -f -qq -o /dev/null true 2>/dev/null; then
    trace() { strace -f -qq -e trace=%file -o "$WORK/strace-$1.log" "${@:2}"; }
  else
    echo "WARNING: strace cannot trace here; running ccm untraced"
    trace() { "${@:2}"; }
  fi
  trace rules "$CCM" rules list >rules.txt || fail "ccm rules list"
  grep -q "packs, " rules.txt || fail "ccm rules list printed no packs"
  "$CCM" init >/dev/null
  trace import "$CCM" import --samples >import.txt || fail "ccm import --samples"
  tail -1 import.txt
  set +e
  trace check "$CCM" check --all >check.txt 2>check.err
  status=$?
  set -e
  # Exit 1: the training sample's findings are errors (as intended); 2 would be a pack error.
  [ "$status" -eq 1 ] || { cat check.err; fail "ccm check --all exited $status (want 1: findings, no pack error)"; }
  grep -q "jp-cosme-campaign-noncompliant" check.txt || fail "ccm check --all did not check the bundled samples"
  tail -1 check.txt
  if ls strace-*.log >/dev/null 2>&1; then
    if grep -h "$ROOT/" strace-*.log | head -5 | grep -q .; then
      grep -h "$ROOT/" strace-*.log | head -5
      fail "the installed ccm looked at the checkout"
    fi
    echo "ccm: no file under $ROOT was opened or looked up (strace)"
  fi

  say "Installed app under WebDriver (no CCM_SAMPLES, no CCM_RULES, fresh library)"
  export CCM_APP_BIN=$INSTALL/usr/bin/ccm-studio
  export CCM_E2E_SCREENSHOTS=${CCM_E2E_SCREENSHOTS:-/tmp/ccm-installed-screenshots}
  TEST=(timeout --kill-after=30 600 node --test --test-concurrency=1 "$ROOT/ui/tests/installed/")
  if [ -n "${CCM_TRACE_APP:-}" ]; then
    # Fallback proof: trace the driver, WebKitWebDriver and the app they start.
    real_driver=${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}
    cat >"$WORK/traced-driver" <<WRAP
#!/bin/sh
exec strace -f -qq -e trace=%file -o "$WORK/strace-app.log" "$real_driver" "\$@"
WRAP
    chmod +x "$WORK/traced-driver"
    export TAURI_DRIVER=$WORK/traced-driver
  fi
  xvfb-run -a -s "-screen 0 1400x900x24" "${TEST[@]}"
  if [ -n "${CCM_TRACE_APP:-}" ]; then
    if grep "$ROOT/" "$WORK/strace-app.log" | head -5 | grep -q .; then
      grep "$ROOT/" "$WORK/strace-app.log" | head -5
      fail "the installed app looked at the checkout"
    fi
    echo "app: no file under $ROOT was opened or looked up (strace)"
  fi
  rm -rf "$WORK" # kept on failure, with the strace logs
  exit 0
fi

[ -x "$TARGET_DIR/debug/ccm-studio" ] && [ -x "$TARGET_DIR/debug/ccm" ] ||
  fail "build first: cargo test --workspace --features ccm-studio/custom-protocol (./studio test does)"
TAURI=$ROOT/ui/node_modules/.bin/tauri
[ -x "$TAURI" ] || fail "no Tauri CLI: npm --prefix ui ci"

say "Bundling the .deb from the debug build (tauri bundle --debug --bundles deb)"
rm -rf "$TARGET_DIR/debug/bundle/deb"
start=$(date +%s)
(cd "$ROOT" && "$TAURI" bundle --debug --bundles deb)
echo "bundled in $(($(date +%s) - start)) s"
DEB=$(ls "$TARGET_DIR"/debug/bundle/deb/*.deb)
ls -l "$DEB"
depends=$(dpkg-deb -f "$DEB" Depends)
echo "Depends: $depends"
for need in libwebkit2gtk-4.1-0 libgtk-3-0 fonts-noto-cjk; do
  [[ $depends == *"$need"* ]] || fail "the .deb does not depend on $need"
done

INSTALL=$(mktemp -d /tmp/ccm-installed-root-XXXXXX)
dpkg-deb -x "$DEB" "$INSTALL"
[ -x "$INSTALL/usr/bin/ccm-studio" ] || fail "no /usr/bin/ccm-studio in the .deb"
ls "$INSTALL"/usr/share/applications/*.desktop >/dev/null || fail "no .desktop entry in the .deb"
# The CLI as `cargo install --path crates/cli` would place it.
install -D -m 755 "$TARGET_DIR/debug/ccm" "$INSTALL/usr/local/bin/ccm"

if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
  say "Hiding the checkout (private mount namespace) and running the installed binaries"
  hide=""
  for d in templates assets crates src-tauri tests docs target ui/dist ui/src; do
    [ -d "$ROOT/$d" ] && hide+="mount -t tmpfs -o ro,size=1k none '$ROOT/$d'; "
  done
  unshare -m --propagation private bash -c "$hide exec env CCM_HIDDEN=1 '$0' --inside '$INSTALL'"
elif strace -f -qq -o /dev/null true 2>/dev/null; then
  say "No root or no unshare: falling back to tracing every file access (strace)"
  CCM_TRACE_APP=1 "$0" --inside "$INSTALL"
else
  # Neither a mount namespace nor ptrace: the binaries still run from another directory with
  # no CCM_SAMPLES/CCM_RULES, which checks what they carry but cannot prove they never read
  # the tree.
  say "WARNING: neither unshare nor strace works here; running without proof of isolation"
  "$0" --inside "$INSTALL"
fi
rm -rf "$INSTALL"
say "The installed app and CLI work without the checkout"
