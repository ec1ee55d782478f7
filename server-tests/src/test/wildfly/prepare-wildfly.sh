#!/usr/bin/env bash
# Sets up the WildFly the tests start: the documented setup script (without deploying: each test
# class deploys the EAR), and a management user whose password the tests give to read /metrics.
#   prepare-wildfly.sh WILDFLY_HOME POSTGRESQL_JAR METRICS_USER METRICS_PASSWORD
set -euo pipefail
home=$1 driver=$2 user=$3 password=$4
here=$(cd "$(dirname "$0")" && pwd)
if [ -e "$home/.segmatch-set-up" ]; then
  echo "WildFly in $home is set up already"
  exit 0
fi
POSTGRESQL_JAR="$driver" DEPLOY=no bash "$here/../../../../server-config/src/main/wildfly/setup-wildfly.sh" "$home" -
"$home/bin/add-user.sh" -s -u "$user" -p "$password"
touch "$home/.segmatch-set-up"
