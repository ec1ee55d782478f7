#!/usr/bin/env bash
# Configures a running Payara Server 6 domain for Segmatch and deploys the EAR.
#
#   SEGMATCH_DB_URL=jdbc:postgresql://db.example.com:5432/segmatch \
#   SEGMATCH_DB_USER=segmatch SEGMATCH_DB_PASSWORD=secret \
#   ./setup-payara-server.sh /opt/payara6 ear/target/segmatch.ear
#
# The database settings go to the domain's MicroProfile Config source (asadmin
# set-config-property), the batch job repository is pointed at the application's own
# datasource (it must share the pool: see docs/deployment.md), then the EAR is deployed.
set -euo pipefail

payara_home=${1:?usage: $0 PAYARA_HOME EAR_FILE}
ear=${2:?usage: $0 PAYARA_HOME EAR_FILE}
asadmin="$payara_home/bin/asadmin ${ASADMIN_OPTIONS:-}"
: "${SEGMATCH_DB_URL:?set SEGMATCH_DB_URL to the PostgreSQL JDBC URL}"

$asadmin set configs.config.server-config.batch-runtime-configuration.data-source-lookup-name=java:global/jdbc/segmatch
$asadmin set configs.config.server-config.batch-runtime-configuration.table-prefix=jbatch_
$asadmin set-config-property --source=domain --propertyName=segmatch.db.url --propertyValue="$SEGMATCH_DB_URL"
$asadmin set-config-property --source=domain --propertyName=segmatch.db.user --propertyValue="${SEGMATCH_DB_USER:-postgres}"
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
$asadmin deploy --force=true --name segmatch "$ear"
echo "Segmatch deployed; check: curl http://localhost:8080/health/ready"
