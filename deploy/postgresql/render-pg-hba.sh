#!/usr/bin/env bash
# Prints a pg_hba.conf for the ERP's PostgreSQL server: the application user
# may connect to the application database from this host and from the
# application hosts named here, with a SCRAM password (and TLS when it comes
# over the network); the postgres superuser only through the local socket as
# the postgres system user; everything else is refused.
#
# Usage:
#   render-pg-hba.sh [--app-host ADDR...] [--database erp] [--user erp]
#     --app-host  an application host (web, realtime, worker) on the core
#                 network, IPv4 or IPv6, optionally as a CIDR; none for the
#                 single-server layout (the application on this host only)
#
#   render-pg-hba.sh --app-host 192.168.10.50 > /etc/postgresql/15/main/pg_hba.conf
#   systemctl reload postgresql
set -euo pipefail

die() {
  echo "render-pg-hba: $*" >&2
  exit 2
}

app_hosts=() database=erp user=erp
while (($#)); do
  case $1 in
  --app-host) app_hosts+=("${2:?}") && shift ;;
  --database) database=${2:?} && shift ;;
  --user) user=${2:?} && shift ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown option $1 (--help lists them)" ;;
  esac
  shift
done

[[ $database =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "--database: $database"
[[ $user =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "--user: $user"
[[ $user != postgres ]] || die "--user: the application must not connect as the superuser"

# Each address checked before anything is printed; a bare address becomes a single host.
cidrs=()
for a in "${app_hosts[@]+"${app_hosts[@]}"}"; do
  if [[ $a =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}(/([0-9]|[12][0-9]|3[0-2]))?$ ]]; then
    [[ $a == */* ]] && cidrs+=("$a") || cidrs+=("$a/32")
  elif [[ $a =~ ^[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(/([0-9]{1,2}|1[01][0-9]|12[0-8]))?$ ]]; then
    [[ $a == */* ]] && cidrs+=("$a") || cidrs+=("$a/128")
  else
    die "--app-host: $a is not an IPv4 or IPv6 address"
  fi
done

row() { printf '%-8s %-10s %-10s %-24s %s\n' "$@"; }

cat <<HEADER
# pg_hba.conf for the Factory ERP, written by deploy/postgresql/render-pg-hba.sh.
# The first matching line decides. Only "$user" may reach "$database", and only
# from this host and the application hosts; the factory network never
# appears here (and cannot reach port 5432 through the firewall anyway).
HEADER
row "# TYPE" DATABASE USER ADDRESS METHOD
echo "# Administration: psql as the postgres system user, on this host only."
row local all postgres "" peer
echo "# An application process on this host (the single-server layout)."
row local "$database" "$user" "" scram-sha-256
row host "$database" "$user" 127.0.0.1/32 scram-sha-256
row host "$database" "$user" ::1/128 scram-sha-256
((${#cidrs[@]})) && echo "# The application hosts on the core network: TLS and a SCRAM password."
for cidr in "${cidrs[@]+"${cidrs[@]}"}"; do row hostssl "$database" "$user" "$cidr" scram-sha-256; done
echo "# Everyone and everything else."
row local all all "" reject
row host all all 0.0.0.0/0 reject
row host all all ::/0 reject
