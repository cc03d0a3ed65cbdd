#!/usr/bin/env bash
# The central gateway's forwarding rules for the Factory ERP (the seed's
# iptables rules, parameterised): the factory VLAN and the WireGuard peers may
# open TCP connections to the ERP API host's API port(s), replies flow back,
# and every other forwarded packet is dropped. Nothing on the factory floor
# reaches PostgreSQL, Redis, SSH or any other port of the core network.
#
# The rules live in a chain of their own (ERP-FORWARD), reached by one jump at
# the top of FORWARD. Applying replaces the chain's contents in one
# iptables-restore transaction and adds the jump only if it is missing, so
# running the script twice gives the same rules. Other rules in the filter
# table are never touched; --rollback removes the jump and the chain, which
# leaves the table exactly as it was before the first apply.
#
# Usage:
#   erp-firewall.sh [--dry-run | --rollback] [options]
#     --config FILE       read ERP_FW_* settings from FILE (KEY=value lines; see firewall.env.example)
#     --api-host ADDR     the ERP API host (nginx); repeatable, IPv4 or IPv6      ERP_FW_API_HOSTS
#     --api-port PORT     TCP port allowed to it; repeatable (default 443)         ERP_FW_API_PORTS
#     --factory CIDR      the factory VLAN; repeatable                             ERP_FW_FACTORY_CIDRS
#     --factory-if IFACE  accept the factory VLAN only on this interface           ERP_FW_FACTORY_IF
#     --vpn-peer CIDR     a WireGuard peer's address (or the VPN subnet); repeatable  ERP_FW_VPN_PEERS
#     --vpn-if IFACE      accept VPN peers only on this interface (e.g. wg0)        ERP_FW_VPN_IF
#     --allow-from CIDR   sources whose new connections may go anywhere, e.g. the
#                         core network reaching supplier APIs; repeatable          ERP_FW_ALLOW_FROM
#     --chain NAME        the chain's name (default ERP-FORWARD)                   ERP_FW_CHAIN
#     --dry-run           print the rules and change nothing (needs no root)
#     --rollback          remove the chain and the jump to it
# Lists in variables are separated by spaces or commas. Flags add to them.
# IPv4 rules go to iptables, IPv6 rules to ip6tables; a family with no API
# host gets a chain that drops every new forwarded connection.
set -euo pipefail

die() {
  echo "erp-firewall: $*" >&2
  exit 2
}

mode=apply
config=""
api_hosts=() api_ports=() factory=() vpn_peers=() allow_from=()
factory_if="" vpn_if="" chain=""

split_into() { # array name, list "a b,c"
  local -n into=$1
  local item
  for item in ${2//,/ }; do into+=("$item"); done
}

read_config() { # KEY=value lines only; nothing in the file is executed
  local file=$1 line key value
  [[ -r $file ]] || die "cannot read $file"
  while IFS= read -r line || [[ -n $line ]]; do
    line="${line#"${line%%[![:space:]]*}"}"
    [[ -z $line || $line == \#* ]] && continue
    [[ $line =~ ^(ERP_FW_[A-Z_]+)=(.*)$ ]] || die "$file: not a KEY=value line: $line"
    key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
    value="${value%\"}" value="${value#\"}" value="${value%\'}" value="${value#\'}"
    # The environment wins over the file, as flags win over both.
    [[ -n ${!key:-} ]] || printf -v "$key" '%s' "$value"
  done <"$file"
}

while (($#)); do
  case $1 in
  --dry-run) mode=dry-run ;;
  --rollback) mode=rollback ;;
  --config) config=${2:?--config needs a file} && shift ;;
  --api-host) api_hosts+=("${2:?}") && shift ;;
  --api-port) api_ports+=("${2:?}") && shift ;;
  --factory) factory+=("${2:?}") && shift ;;
  --factory-if) factory_if=${2:?} && shift ;;
  --vpn-peer) vpn_peers+=("${2:?}") && shift ;;
  --vpn-if) vpn_if=${2:?} && shift ;;
  --allow-from) allow_from+=("${2:?}") && shift ;;
  --chain) chain=${2:?} && shift ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown option $1 (--help lists them)" ;;
  esac
  shift
done

[[ -n $config ]] && read_config "$config"
split_into api_hosts "${ERP_FW_API_HOSTS:-}"
split_into api_ports "${ERP_FW_API_PORTS:-}"
split_into factory "${ERP_FW_FACTORY_CIDRS:-}"
split_into vpn_peers "${ERP_FW_VPN_PEERS:-}"
split_into allow_from "${ERP_FW_ALLOW_FROM:-}"
factory_if=${factory_if:-${ERP_FW_FACTORY_IF:-}}
vpn_if=${vpn_if:-${ERP_FW_VPN_IF:-}}
chain=${chain:-${ERP_FW_CHAIN:-ERP-FORWARD}}
((${#api_ports[@]})) || api_ports=(443)

# ---------------------------------------------------------------- checks

family_of() { [[ $1 == *:* ]] && echo 6 || echo 4; }

check_address() { # what, address or CIDR
  local what=$1 addr=$2 host prefix="" octet
  host=${addr%/*}
  [[ $addr == */* ]] && prefix=${addr#*/}
  if [[ $(family_of "$addr") == 4 ]]; then
    [[ $host =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || die "$what: $addr is not an IPv4 address"
    for octet in "${BASH_REMATCH[@]:1}"; do ((10#$octet <= 255)) || die "$what: $addr is not an IPv4 address"; done
    [[ -z $prefix ]] || { [[ $prefix =~ ^[0-9]{1,2}$ ]] && ((10#$prefix <= 32)); } || die "$what: bad prefix in $addr"
  else
    [[ $host =~ ^[0-9A-Fa-f:.]+$ && $host == *::* || $host =~ ^([0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}$ ]] ||
      die "$what: $addr is not an IPv6 address"
    [[ -z $prefix ]] || { [[ $prefix =~ ^[0-9]{1,3}$ ]] && ((10#$prefix <= 128)); } || die "$what: bad prefix in $addr"
  fi
}

[[ $chain =~ ^[A-Za-z][A-Za-z0-9_-]{0,27}$ ]] || die "--chain: $chain is not a chain name"
if [[ $mode != rollback ]]; then
  ((${#api_hosts[@]})) || die "--api-host (ERP_FW_API_HOSTS) is required: the ERP API host's address"
  ((${#factory[@]} + ${#vpn_peers[@]})) || die "give the factory VLAN (--factory) or VPN peers (--vpn-peer): nobody would be let in"
  for a in "${api_hosts[@]}"; do check_address --api-host "$a"; done
  for a in "${factory[@]}"; do check_address --factory "$a"; done
  for a in "${vpn_peers[@]}"; do check_address --vpn-peer "$a"; done
  for a in "${allow_from[@]}"; do check_address --allow-from "$a"; done
  for p in "${api_ports[@]}"; do
    [[ $p =~ ^[0-9]{1,5}$ ]] && ((10#$p >= 1 && 10#$p <= 65535)) || die "--api-port: $p is not a TCP port"
  done
  for i in "$factory_if" "$vpn_if"; do
    [[ -z $i || $i =~ ^[A-Za-z0-9_.@-]{1,15}$ ]] || die "$i is not an interface name"
  done
fi

# ---------------------------------------------------------------- the rules

# ACCEPT rules for new connections from some sources to every API host and
# port of the family in hand ($fam, set by ruleset).
allow() { # interface, comment, sources...
  local iface=$1 comment=$2 src dst port
  shift 2
  for src in "$@"; do
    [[ $(family_of "$src") == "$fam" ]] || continue
    for dst in "${api_hosts[@]}"; do
      [[ $(family_of "$dst") == "$fam" ]] || continue
      for port in "${api_ports[@]}"; do
        echo "-A $chain${iface:+ -i $iface} -s $src -d $dst -p tcp -m tcp --dport $port -m conntrack --ctstate NEW -m comment --comment \"erp: $comment to the API port\" -j ACCEPT"
      done
    done
  done
}

# The chain for one family, in iptables-restore format. With --noflush,
# declaring the chain (":NAME - [0:0]") empties it first, and the whole
# table is replaced in one transaction: never half a ruleset.
ruleset() { # family
  fam=$1
  local src
  echo "*filter"
  echo ":$chain - [0:0]"
  echo "-A $chain -m conntrack --ctstate ESTABLISHED,RELATED -m comment --comment \"erp: replies to allowed connections\" -j ACCEPT"
  echo "-A $chain -m conntrack --ctstate INVALID -m comment --comment \"erp: invalid state\" -j DROP"
  allow "$factory_if" "factory VLAN" "${factory[@]}"
  allow "$vpn_if" "VPN peer" "${vpn_peers[@]}"
  for src in "${allow_from[@]}"; do
    [[ $(family_of "$src") == "$fam" ]] || continue
    echo "-A $chain -s $src -m conntrack --ctstate NEW -m comment --comment \"erp: trusted source, outbound\" -j ACCEPT"
  done
  echo "-A $chain -m comment --comment \"erp: everything else\" -j DROP"
  echo "COMMIT"
}

tool() { [[ $1 == 4 ]] && echo iptables || echo ip6tables; }

if [[ $mode == dry-run ]]; then
  for fam in 4 6; do
    echo "# IPv$fam: $(tool $fam)-restore --noflush <<'EOF'"
    ruleset $fam
    echo "EOF"
    echo "# then, unless it is already there: $(tool $fam) -I FORWARD 1 -j $chain"
  done
  exit 0
fi

((EUID == 0)) || die "must run as root (--dry-run shows the rules without changing anything)"
for fam in 4 6; do
  command -v "$(tool $fam)" >/dev/null || die "$(tool $fam) is not installed: apt-get install -y iptables"
done

if [[ $mode == rollback ]]; then
  for fam in 4 6; do
    t=$(tool $fam)
    while "$t" -w -C FORWARD -j "$chain" 2>/dev/null; do "$t" -w -D FORWARD -j "$chain"; done
    if "$t" -w -S "$chain" >/dev/null 2>&1; then
      "$t" -w -F "$chain"
      "$t" -w -X "$chain"
    fi
  done
  echo "erp-firewall: removed $chain and its jump; FORWARD decides on its own again (policy: $(iptables -w -S FORWARD | head -n 1))"
  exit 0
fi

for fam in 4 6; do
  t=$(tool $fam)
  ruleset $fam | "$t-restore" -w --noflush
  "$t" -w -C FORWARD -j "$chain" 2>/dev/null || "$t" -w -I FORWARD 1 -j "$chain"
done
echo "erp-firewall: $chain applied (IPv4 and IPv6); --rollback removes it"
