#!/usr/bin/env bash
# Same-run comparison of CCM Studio with the tools users pick today (docs/PERFORMANCE.md):
#   email  ccm full email render            vs  npm mjml → HTML + juice inlining of the same MJML
#   print  ccm letter → PDF (Typst)         vs  headless Chromium page.pdf(), warm browser
#   sms    ccm segment analysis             vs  npm sms-segments-calculator (+ counts compared)
# Installs the peers into bench/peers/node_modules (and Debian's chromium if missing), then
# times both sides back to back on the same inputs and prints the ratios; figures go to
# bench/peers/out/peers.json. Not part of ./studio test.
#
#   bench/peers/run.sh                       # uses target/release/ccm if built, else target/debug/ccm
#   CCM=path/to/ccm EMAIL_ITERATIONS=100 PRINT_ITERATIONS=50 SMS_ROUNDS=20 bench/peers/run.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/out"
EMAIL_TEMPLATE="${EMAIL_TEMPLATE:-us-retail-product-recall}"
# The Chromium letter (lib/print.mjs) carries this template's content: keep them together.
PRINT_TEMPLATE=us-retail-product-recall
PERSONA="${PERSONA:-typical}"
TODAY=2026-12-03
EMAIL_ITERATIONS="${EMAIL_ITERATIONS:-50}"
PRINT_ITERATIONS="${PRINT_ITERATIONS:-30}"
SMS_COUNT="${SMS_COUNT:-10000}"
SMS_ROUNDS="${SMS_ROUNDS:-20}"

step() { printf '\n== %s\n' "$*" >&2; }

step "peers"
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium (apt)" >&2
  sudo_if_needed=""; [ "$(id -u)" -ne 0 ] && sudo_if_needed="sudo"
  $sudo_if_needed apt-get update -qq
  $sudo_if_needed apt-get install -y --no-install-recommends chromium >&2
fi
if [ ! -d "$HERE/node_modules/mjml" ] || [ ! -d "$HERE/node_modules/puppeteer-core" ] \
  || [ ! -d "$HERE/node_modules/juice" ] || [ ! -d "$HERE/node_modules/sms-segments-calculator" ]; then
  # puppeteer-core drives the system chromium: no browser download.
  (cd "$HERE" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
fi

step "ccm"
if [ -z "${CCM:-}" ]; then
  if [ -x "$ROOT/target/release/ccm" ]; then CCM="$ROOT/target/release/ccm"
  else
    if [ ! -x "$ROOT/target/debug/ccm" ]; then
      (cd "$ROOT" && cargo build --workspace --features ccm-studio/custom-protocol --bin ccm >&2)
    fi
    CCM="$ROOT/target/debug/ccm"
  fi
fi
echo "using $CCM ($("$CCM" --version))" >&2

rm -rf "$OUT" && mkdir -p "$OUT"
load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE="$(load)"

step "inputs: the MJML ccm compiles, the SMS list"
"$CCM" render --dir "$ROOT/templates/$EMAIL_TEMPLATE" --persona "$PERSONA" --channel email \
  --emit mjml --today "$TODAY" --out "$OUT/email" >&2
node "$HERE/lib/sms-list.mjs" "$OUT/sms-strings.jsonl" "$SMS_COUNT"

step "email: ccm ($EMAIL_ITERATIONS renders), then mjml + juice ($EMAIL_ITERATIONS compiles)"
"$CCM" --json bench render --dir "$ROOT/templates/$EMAIL_TEMPLATE" --persona "$PERSONA" \
  --channel email --iterations "$EMAIL_ITERATIONS" --vary --today "$TODAY" > "$OUT/ours-email.json"
(cd "$HERE" && node lib/email.mjs "$OUT/email/email.mjml" "$EMAIL_ITERATIONS") > "$OUT/peer-email.json"

step "print: ccm ($PRINT_ITERATIONS letters), then Chromium ($PRINT_ITERATIONS letters)"
"$CCM" --json bench render --dir "$ROOT/templates/$PRINT_TEMPLATE" --persona typical \
  --channel print --iterations "$PRINT_ITERATIONS" --vary --today "$TODAY" > "$OUT/ours-print.json"
(cd "$HERE" && node lib/print.mjs "$PRINT_ITERATIONS") > "$OUT/peer-print.json"

step "sms: ccm ($SMS_ROUNDS rounds of $SMS_COUNT), then sms-segments-calculator (1 round: it takes minutes)"
"$CCM" --json bench sms --strings "$OUT/sms-strings.jsonl" --rounds "$SMS_ROUNDS" > "$OUT/ours-sms.json"
(cd "$HERE" && node lib/sms.mjs "$OUT/sms-strings.jsonl" 1) > "$OUT/peer-sms.json"

cat > "$OUT/environment.json" <<JSON
{"date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "cpus": $(nproc), "load_before": "$LOAD_BEFORE", "load_after": "$(load)",
 "ccm": "$("$CCM" --version)", "node": "$(node --version)", "email_template": "$EMAIL_TEMPLATE", "print_template": "$PRINT_TEMPLATE"}
JSON
step "results"
node "$HERE/lib/compare.mjs" "$OUT"
