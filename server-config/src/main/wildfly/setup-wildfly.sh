#!/usr/bin/env bash
# Configures an unpacked WildFly 39 for Segmatch (standalone.xml) and deploys the EAR.
#
#   ./setup-wildfly.sh /opt/wildfly-39.0.1.Final ear/target/segmatch-wildfly.ear
#
# then start it with the database settings in the environment (or as -D system properties):
#
#   SEGMATCH_DB_URL=jdbc:postgresql://db.example.com:5432/segmatch \
#   SEGMATCH_DB_USER=segmatch SEGMATCH_DB_PASSWORD=secret \
#   /opt/wildfly-39.0.1.Final/bin/standalone.sh -b 127.0.0.1 -bmanagement 127.0.0.1
#
# The server is configured offline (an embedded CLI server, segmatch.cli next to this script):
# the PostgreSQL driver as the module org.postgresql (the jar next to this script, or the one
# named by POSTGRESQL_JAR), the application's datasource and the batch job repository's, health,
# Micrometer with Prometheus text, and the security setting access control needs. Run it once on
# a fresh server; the EAR goes to standalone/deployments (give DEPLOY=no to skip that).
set -euo pipefail

wildfly_home=${1:?usage: $0 WILDFLY_HOME EAR_FILE}
ear=${2:?usage: $0 WILDFLY_HOME EAR_FILE}
here=$(cd "$(dirname "$0")" && pwd)
driver=${POSTGRESQL_JAR:-$(ls "$here"/postgresql-*.jar 2>/dev/null | head -n 1)}
[ -f "$driver" ] || { echo "no PostgreSQL driver jar next to $0: set POSTGRESQL_JAR" >&2; exit 2; }
cli="$wildfly_home/bin/jboss-cli.sh"

if [ -e "$wildfly_home/modules/org/postgresql/main/module.xml" ]; then
  echo "module org.postgresql is there already"
else
  # offline: 'module add' writes the module's directory; it needs no running server
  "$cli" --command="module add --name=org.postgresql --resources=$driver --dependencies=jakarta.transaction.api,java.sql"
fi
"$cli" --file="$here/segmatch.cli"

if [ "${DEPLOY:-yes}" != no ]; then
  cp "$ear" "$wildfly_home/standalone/deployments/segmatch.ear"
  echo "Segmatch deployed; start the server, then check: curl http://127.0.0.1:9990/health/ready"
fi
