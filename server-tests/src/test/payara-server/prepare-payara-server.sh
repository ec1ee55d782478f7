#!/usr/bin/env bash
# Sets up the Payara Server domain the tests start: a domain of its own with every port moved
# (PORTBASE + 48 admin, + 80 HTTP), bound to loopback, then the documented setup script
# (without deploying, and without database settings: the tests give them as environment
# variables when they start the domain). The domain is stopped again; the tests start it.
#   prepare-payara-server.sh PAYARA_HOME DOMAIN PORTBASE
set -euo pipefail
home=$1 domain=$2 portbase=$3
here=$(cd "$(dirname "$0")" && pwd)
asadmin="$home/bin/asadmin"
admin=$((portbase + 48))
if [ -e "$home/glassfish/domains/$domain/.segmatch-set-up" ]; then
  echo "Payara Server domain $domain is set up already"
  exit 0
fi
"$asadmin" delete-domain "$domain" >/dev/null 2>&1 || true
"$asadmin" create-domain --nopassword --portbase "$portbase" "$domain"
"$asadmin" start-domain "$domain"
trap '"$asadmin" stop-domain "$domain" >/dev/null 2>&1 || true' EXIT
a() { "$asadmin" --port "$admin" "$@"; }
# loopback only: the HTTP listeners, the admin listener, and the domain data grid
for listener in http-listener-1 http-listener-2 admin-listener; do
  a set "configs.config.server-config.network-config.network-listeners.network-listener.$listener.address=127.0.0.1"
done
a set-hazelcast-configuration --interfaces=127.0.0.1 --publicaddress=127.0.0.1
a create-jvm-options -Duser.timezone=UTC
ASADMIN_OPTIONS="--port $admin" DEPLOY=no bash "$here/../../../../server-config/src/main/payara-server/setup-payara-server.sh" "$home" -
touch "$home/glassfish/domains/$domain/.segmatch-set-up"
