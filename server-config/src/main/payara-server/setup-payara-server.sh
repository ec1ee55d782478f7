#!/usr/bin/env bash
# Configures a running Payara Server 6 domain for Segmatch and deploys the EAR.
#
#   SEGMATCH_DB_URL=jdbc:postgresql://db.example.com:5432/segmatch \
#   SEGMATCH_DB_USER=segmatch SEGMATCH_DB_PASSWORD=secret \
#   ./setup-payara-server.sh /opt/payara6 ear/target/segmatch.ear
#
# (a running domain: asadmin start-domain first)
#
# The database settings go to the domain's MicroProfile Config source (asadmin
# set-config-property) when SEGMATCH_DB_URL is set; without it, the domain takes them from its
# environment when it starts (SEGMATCH_DB_URL, SEGMATCH_DB_USER, SEGMATCH_DB_PASSWORD, like every
# segmatch.* setting). The batch job repository is pointed at the application's own datasource
# (it must share the pool: see docs/deployment.md), then the EAR is deployed (DEPLOY=no skips
# that). ASADMIN_OPTIONS passes options to asadmin (for example --port 4848).
set -euo pipefail

payara_home=${1:?usage: $0 PAYARA_HOME EAR_FILE}
ear=${2:?usage: $0 PAYARA_HOME EAR_FILE}
asadmin="$payara_home/bin/asadmin ${ASADMIN_OPTIONS:-}"

$asadmin set configs.config.server-config.batch-runtime-configuration.data-source-lookup-name=java:global/jdbc/segmatch
$asadmin set configs.config.server-config.batch-runtime-configuration.table-prefix=jbatch_
if [ -n "${SEGMATCH_DB_URL:-}" ]; then
  $asadmin set-config-property --source=domain --propertyName=segmatch.db.url --propertyValue="$SEGMATCH_DB_URL"
  $asadmin set-config-property --source=domain --propertyName=segmatch.db.user --propertyValue="${SEGMATCH_DB_USER:-postgres}"
else
  echo "SEGMATCH_DB_URL is not set: the domain takes the database settings from its environment when it starts"
fi
if [ -n "${SEGMATCH_DB_PASSWORD:-}" ]; then
  # read from a file so the password does not show in the process list
  pwfile=$(mktemp)
  trap 'rm -f "$pwfile"' EXIT
  printf 'AS_ADMIN_ALIASPASSWORD=%s\n' "$SEGMATCH_DB_PASSWORD" > "$pwfile"
  $asadmin delete-password-alias segmatch-db-password >/dev/null 2>&1 || true
  $asadmin --passwordfile "$pwfile" create-password-alias segmatch-db-password
  $asadmin set-config-property --source=domain --propertyName=segmatch.db.password \
    --propertyValue='${ALIAS=segmatch-db-password}'
fi
if [ "${DEPLOY:-yes}" != no ]; then
  $asadmin deploy --force=true --name segmatch "$ear"
  echo "Segmatch deployed; check: curl http://localhost:8080/health/ready"
fi
