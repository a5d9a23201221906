#!/usr/bin/env bash
# `npm test`: everything that can run on this machine. Runs under Node 22 (npm puts
# node_modules/.bin, which holds the pinned node@22, first on PATH).
# The PostgreSQL variant of the store tests runs when DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }
started=$(date +%s)
results=test-results/jest
rm -rf "$results" && mkdir -p "$results"

node -e 'const [M]=process.versions.node.split(".").map(Number); if (M < 22) { console.error("npm test needs Node 22 (node@22 from node_modules/.bin): run it through npm"); process.exit(1) }'

step "lint (eslint)"
npm run -s lint

step "format (prettier --check)"
npm run -s format:check

step "type-check (tsc)"
npm run -s typecheck

step "metadata validation (sf project convert source)"
npm run -s validate:metadata

step "LWC unit tests (sfdx-lwc-jest)"
if compgen -G "force-app/main/default/lwc/*/__tests__/*.test.js" > /dev/null; then
    npm run -s test:lwc -- -- --ci --json --outputFile="$results/lwc.json"
    test -s "$results/lwc.json" || { echo "the LWC tests did not report results" >&2; exit 1; }
else
    echo "force-app has no LWC yet: nothing to run."
fi

step "middleware and emulator tests (jest)${DATABASE_URL:+, with the PostgreSQL variant}"
npm run -s test:middleware -- --ci --json --outputFile="$results/middleware.json"
test -s "$results/middleware.json" || { echo "the middleware tests did not report results" >&2; exit 1; }

step "browser tests (playwright-core + Debian chromium)"
if node -e 'process.exit(require("./package.json").scripts["test:browser"] ? 0 : 1)'; then
    if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
        echo "Chromium is missing: install Debian's package with 'sudo apt-get update && sudo apt-get install -y chromium'" >&2
        exit 1
    fi
    npm run -s test:browser -- --ci --json --outputFile="$results/browser.json"
else
    echo "No LWC preview yet: no browser tests to run."
fi

printf '\nAll checks passed in %ss.\n' "$(( $(date +%s) - started ))"
# One closing line over every jest run: "N passed, N failed".
node -e '
const fs = require("fs");
let passed = 0, failed = 0;
for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests;
}
console.log(`${passed} passed, ${failed} failed`);
' "$results"
