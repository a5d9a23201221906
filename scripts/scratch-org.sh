#!/usr/bin/env bash
# Create a scratch org for Backstory Companion, point its package at a running middleware, and
# connect the middleware to the org (OAuth 2.0 authorization code with PKCE, or JWT bearer).
#
#   MIDDLEWARE_URL=https://… BACKSTORY_API_KEY=… npm run scratch-org -- [alias]
#
# Needs: a Dev Hub with the `peopleai` namespace linked (sf org login web --set-default-dev-hub;
# Setup > Namespace Registries in the Dev Hub), and the middleware reachable from Salesforce and
# from your browser over HTTPS (a deployed instance or a tunnel), started with SF_OAUTH_CLIENT_ID
# (the Backstory connected app or External Client App, PKCE on, callback URL
# $MIDDLEWARE_URL/oauth/callback) and BACKSTORY_PUBLIC_URL=$MIDDLEWARE_URL. The project's sf CLI
# needs Node 22: this script puts node_modules/.bin (the pinned Node 22) first on PATH, so it runs
# the same through `npm run scratch-org` or directly.
#
# What it does, in order (each step is printed; the first failure stops it):
#   1. creates the scratch org from config/project-scratch-def.json;
#   2. deploys force-app with the Named Credential's URL set to MIDDLEWARE_URL;
#   3. creates the integration user (config/users/integration-user.json, permission set
#      Backstory_Standard_Permissions) and puts it at the top of the role hierarchy (PERM-1),
#      and a rep (config/users/sales-rep.json, permission set Backstory_Rep);
#   4. assigns Backstory_Admin to the org's admin user;
#   5. imports the demo data plan scripts/seed/demo/demo-plan.json (the plan the emulator loads);
#   6. stores BACKSTORY_API_KEY on the external credential's named principal (Connect REST API);
#   7. connects the middleware to the org (TEN-2):
#      - JWT bearer, when SF_CLIENT_ID and SF_PRIVATE_KEY_FILE name the org's own connected app
#        (certificate uploaded, integration user pre-authorized): PUT /v1/org/connection/jwt;
#      - otherwise OAuth with PKCE: gives the integration user a password and prints the
#        authorize URL from POST /v1/org/connection/oauth; open it and sign in as that user
#        (the setup wizard's Connect step does the same).
set -euo pipefail
cd "$(dirname "$0")/.."

# The pinned Node 22 first: under Node 20 the project's sf CLI crashes at start-up.
export PATH="$PWD/node_modules/.bin:$PATH"

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
middleware="${MIDDLEWARE_URL%/}"

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
# Call the middleware with the org's API key; the key goes through a header file in the work
# directory (removed on exit), never through argv.
middleware_call() {
    printf 'Authorization: Bearer %s\nContent-Type: application/json\n' "$BACKSTORY_API_KEY" > "$work/headers"
    curl --silent --show-error --fail-with-body -X "$1" -H "@$work/headers" --data-binary @- "$middleware$2" <<< "$3"
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

say "Deploying force-app with the Backstory_Middleware Named Credential URL set to $middleware"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R force-app "$work/force-app"
cp sfdx-project.json .forceignore "$work/"
nc="$work/force-app/main/default/namedCredentials/Backstory_Middleware.namedCredential-meta.xml"
sed "s#https://backstory-middleware.invalid#${middleware}#" "$nc" > "$nc.new" && mv "$nc.new" "$nc"
grep -q "${middleware}" "$nc" || {
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

instance_url=$(sf org display --target-org "$alias_name" --json | json_get result.instanceUrl)
setup_url=$(sf org open --target-org "$alias_name" --path /lightning/n/"${namespace}"__Backstory_Setup --url-only --json |
    json_get result.url)

if [ -n "${SF_CLIENT_ID:-}" ] && [ -n "${SF_PRIVATE_KEY_FILE:-}" ]; then
    say "Connecting the middleware by JWT bearer (connected app $SF_CLIENT_ID, as $integration_username)"
    node -e '
        const fs = require("node:fs");
        process.stdout.write(JSON.stringify({ loginUrl: process.argv[1], clientId: process.argv[2],
            username: process.argv[3], privateKey: fs.readFileSync(process.argv[4], "utf8") }));' \
        "$instance_url" "$SF_CLIENT_ID" "$integration_username" "$SF_PRIVATE_KEY_FILE" > "$work/jwt.json"
    middleware_call PUT /v1/org/connection/jwt "$(cat "$work/jwt.json")" | json_get status
else
    say "Giving the integration user a password, to sign in once during Connect"
    sf org generate password --target-org "$alias_name" --on-behalf-of "$integration_username"
    say "Connecting the middleware by OAuth (PKCE): open this URL and sign in as $integration_username"
    body=$(printf '{"loginUrl":"%s","returnUrl":"%s"}' "$instance_url" "$setup_url")
    middleware_call POST /v1/org/connection/oauth "$body" | json_get authorizeUrl
    echo "    (Its password: sf org display user --target-org $alias_name --json; the setup wizard's Connect step starts the same flow.)"
fi

say "Open the Backstory Admin app > Backstory Setup to run the permission check:"
echo "$setup_url"
