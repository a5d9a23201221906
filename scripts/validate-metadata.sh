#!/usr/bin/env bash
# Converts force-app to metadata format offline; a malformed metadata file fails the build.
set -euo pipefail
cd "$(dirname "$0")/.."
export SF_DISABLE_TELEMETRY=true SF_AUTOUPDATE_DISABLE=true SF_DISABLE_AUTOUPDATE=true SF_USE_GENERIC_UNIX_KEYCHAIN=true SF_SKIP_NEW_VERSION_CHECK=true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sf project convert source --root-dir force-app --output-dir "$out/mdapi" --json > "$out/result.json" || {
    cat "$out/result.json" >&2
    echo "sf project convert source failed: force-app has malformed metadata" >&2
    exit 1
}
count=$(find "$out/mdapi" -type f | wc -l)
echo "force-app converts cleanly ($count metadata files)."
