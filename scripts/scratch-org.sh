#!/usr/bin/env bash
# Create a scratch org for Backstory Companion and point its package at a running middleware.
#
#   MIDDLEWARE_URL=https://… BACKSTORY_API_KEY=… scripts/scratch-org.sh [alias]
#
# Needs: a Dev Hub with the `peopleai` namespace linked (sf org login web --set-default-dev-hub;
# Setup > Namespace Registries in the Dev Hub), and the middleware reachable from Salesforce over
# HTTPS (a deployed instance or a tunnel). Uses this project's sf CLI (node_modules/.bin/sf, which
# needs Node 22: run it as `npm exec -- bash scripts/scratch-org.sh` or with Node 22 on PATH) or
# the one on PATH.
#
# What it does, in order (each step is printed; the first failure stops it):
#   1. creates the scratch org from config/project-scratch-def.json;
#   2. deploys force-app with the Named Credential's URL set to MIDDLEWARE_URL;
#   3. creates the integration user (config/users/integration-user.json, permission set
#      Backstory_Standard_Permissions) and puts it at the top of the role hierarchy (PERM-1),
#      and a rep (config/users/sales-rep.json, permission set Backstory_Rep);
#   4. assigns Backstory_Admin to the org's admin user;
#   5. imports the demo data plan scripts/seed/demo/demo-plan.json (the plan the emulator loads);
#   6. stores BACKSTORY_API_KEY on the external credential's named principal (Connect REST API).
set -euo pipefail
cd "$(dirname "$0")/.."

alias_name="${1:-backstory-scratch}"
: "${MIDDLEWARE_URL:?set MIDDLEWARE_URL to the middleware's https:// URL}"
: "${BACKSTORY_API_KEY:?set BACKSTORY_API_KEY to the middleware's API key for this org}"
case "$MIDDLEWARE_URL" in
    https://*) ;;
    *)
        echo "MIDDLEWARE_URL must be an https:// URL (Salesforce calls out over HTTPS only)" >&2
        exit 64
        ;;
esac

export SF_DISABLE_TELEMETRY=true SF_AUTOUPDATE_DISABLE=true SF_DISABLE_AUTOUPDATE=true
sf() { if [ -x node_modules/.bin/sf ]; then node_modules/.bin/sf "$@"; else command sf "$@"; fi; }
say() { printf '\n==> %s\n' "$*"; }
# Read one value out of the JSON on stdin: json_get result.fields.username
json_get() {
    node -e '
        let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
            const v = process.argv[1].split(".").reduce((o, k) => (o == null ? o : o[k]), JSON.parse(s));
            if (v === undefined || v === null) { console.error("missing " + process.argv[1] + " in: " + s); process.exit(1); }
            console.log(v);
        });' "$1"
}

namespace=$(json_get namespace < sfdx-project.json)
api_version=$(json_get sourceApiVersion < sfdx-project.json)

say "Checking for a default Dev Hub"
if ! sf config get target-dev-hub --json | json_get result.0.value > /dev/null 2>&1; then
    echo "No default Dev Hub: run 'sf org login web --set-default-dev-hub' first." >&2
    exit 65
fi

say "Creating scratch org '$alias_name' from config/project-scratch-def.json (namespace $namespace)"
sf org create scratch --definition-file config/project-scratch-def.json --alias "$alias_name" --set-default \
    --duration-days 7 --wait 15

say "Deploying force-app with the Backstory_Middleware Named Credential URL set to $MIDDLEWARE_URL"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R force-app "$work/force-app"
cp sfdx-project.json .forceignore "$work/"
nc="$work/force-app/main/default/namedCredentials/Backstory_Middleware.namedCredential-meta.xml"
sed "s#https://backstory-middleware.invalid#${MIDDLEWARE_URL%/}#" "$nc" > "$nc.new" && mv "$nc.new" "$nc"
grep -q "${MIDDLEWARE_URL%/}" "$nc" || {
    echo "Could not set the Named Credential URL in $nc" >&2
    exit 1
}
(cd "$work" && sf project deploy start --source-dir force-app --target-org "$alias_name" --wait 30)

say "Creating the Backstory Integration User (config/users/integration-user.json, Backstory_Standard_Permissions)"
integration_json=$(sf org create user --target-org "$alias_name" \
    --definition-file config/users/integration-user.json --set-unique-username --json)
integration_id=$(printf '%s' "$integration_json" | json_get result.fields.id)
integration_username=$(printf '%s' "$integration_json" | json_get result.fields.username)
echo "    $integration_username ($integration_id)"

say "Putting the integration user at the top of the role hierarchy (a root role 'Backstory Integration')"
role_id=$(sf data create record --target-org "$alias_name" --sobject UserRole \
    --values "Name='Backstory Integration' DeveloperName=Backstory_Integration" --json | json_get result.id)
sf data update record --target-org "$alias_name" --sobject User --record-id "$integration_id" \
    --values "UserRoleId=$role_id"

say "Creating a rep (config/users/sales-rep.json, Backstory_Rep)"
sf org create user --target-org "$alias_name" --definition-file config/users/sales-rep.json --set-unique-username

say "Assigning Backstory_Admin to the scratch org's admin user"
sf org assign permset --name Backstory_Admin --target-org "$alias_name"

say "Importing the demo data plan (scripts/seed/demo/demo-plan.json)"
sf data import tree --plan scripts/seed/demo/demo-plan.json --target-org "$alias_name"

say "Storing the API key on the external credential's named principal (${namespace}__Backstory_Middleware / Backstory)"
# The body goes through stdin so the key never appears in the process list.
printf '{"externalCredential":"%s__Backstory_Middleware","authenticationProtocol":"Custom","principalName":"Backstory","principalType":"NamedPrincipal","credentials":{"ApiKey":{"value":"%s","encrypted":true}}}' \
    "$namespace" "$BACKSTORY_API_KEY" |
    sf api request rest "/services/data/v${api_version}/named-credentials/credential" --method POST --body - \
        --target-org "$alias_name" > /dev/null

say "Done. Connect the middleware to this org as $integration_username (JWT bearer flow, docs/salesforce-package.md)."
say "Open the Backstory Admin app > Backstory Setup to run the permission check:"
sf org open --target-org "$alias_name" --path /lightning/n/"${namespace}"__Backstory_Setup --url-only
