#!/usr/bin/env bash
# Generates the WireGuard keys of the central server and of each branch
# warehouse, and fills deploy/wireguard/templates/ into ready-to-install
# configs. Keys never enter the repository: they are made here, in the target
# directory, which must be outside any git work tree (or ignored by it).
#
# Usage:
#   generate-configs.sh --out DIR --endpoint HOST:PORT --route CIDR [--route CIDR...]
#                       --warehouse NAME=ADDR[,ADDR6] [--warehouse ...]
#                       [--server-address 10.8.0.1/24[,fd00:8::1/64]] [--listen-port 51820]
#
#   --out DIR          where everything is written: DIR/keys/, DIR/server/wg0.conf,
#                      DIR/warehouses/NAME/wg0.conf (directories 0700, files 0600)
#   --endpoint         how warehouses reach the central server (public name or address and UDP port)
#   --route CIDR       what a warehouse reaches through the tunnel besides the VPN server:
#                      the ERP API host, e.g. 192.168.10.50/32
#   --warehouse        a branch warehouse and its tunnel address(es), e.g. north=10.8.0.10
#   --server-address   the central server's tunnel address(es) with the VPN prefix
#   --listen-port      the central server's UDP port
#
# Running it again keeps every existing key (so adding a warehouse does not
# re-key the others) and rewrites the configs. Key generation uses `wg`
# (Debian: wireguard-tools) when it is installed, else OpenSSL's X25519, which
# makes the same kind of key; ERP_WG_KEYGEN=wg or openssl forces one.
set -euo pipefail
umask 077

die() {
  echo "generate-configs: $*" >&2
  exit 2
}

templates="$(cd "$(dirname "$0")" && pwd)/templates"
out="" endpoint="" server_address="10.8.0.1/24" listen_port=51820
routes=() warehouses=()

while (($#)); do
  case $1 in
  --out) out=${2:?} && shift ;;
  --endpoint) endpoint=${2:?} && shift ;;
  --route) routes+=("${2:?}") && shift ;;
  --warehouse) warehouses+=("${2:?}") && shift ;;
  --server-address) server_address=${2:?} && shift ;;
  --listen-port) listen_port=${2:?} && shift ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown option $1 (--help lists them)" ;;
  esac
  shift
done

# ---------------------------------------------------------------- checks

is_address() { # IPv4 or IPv6, with or without a prefix
  [[ $1 =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}(/([0-9]|[12][0-9]|3[0-2]))?$ ]] ||
    [[ $1 =~ ^[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(/([0-9]{1,2}|1[01][0-9]|12[0-8]))?$ ]]
}
host_of() { # 10.8.0.1/24 -> 10.8.0.1/32, fd00::1/64 -> fd00::1/128
  local addr=${1%/*}
  [[ $addr == *:* ]] && echo "$addr/128" || echo "$addr/32"
}

[[ -n $out ]] || die "--out DIR is required"
endpoint_form='^[][A-Za-z0-9.:-]+:[0-9]{1,5}$' # name:port, 1.2.3.4:port, [v6]:port
[[ $endpoint =~ $endpoint_form ]] || die "--endpoint HOST:PORT is required (got '$endpoint')"
((${#routes[@]})) || die "--route is required: the ERP API host the warehouses reach, e.g. 192.168.10.50/32"
((${#warehouses[@]})) || die "--warehouse NAME=ADDRESS is required, at least one"
[[ $listen_port =~ ^[0-9]{1,5}$ ]] && ((listen_port >= 1 && listen_port <= 65535)) || die "--listen-port: $listen_port"
IFS=, read -ra server_addresses <<<"$server_address"
for a in "${server_addresses[@]}" "${routes[@]}"; do is_address "$a" || die "$a is not an address"; done
declare -A seen=()
for w in "${warehouses[@]}"; do
  name=${w%%=*}
  [[ $w == *=* && $name =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]] || die "--warehouse $w: want NAME=ADDRESS, NAME in [a-z0-9-]"
  [[ -z ${seen[$name]:-} ]] || die "--warehouse $name given twice"
  seen[$name]=1
  IFS=, read -ra addrs <<<"${w#*=}"
  for a in "${addrs[@]}"; do is_address "${a%/*}" || die "--warehouse $w: ${a} is not an address"; done
done

# Keys must not land where git could pick them up.
parent=$(dirname "$out")
[[ -d $parent ]] || die "$parent does not exist"
if git -C "$parent" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  target="$(cd "$parent" && pwd)/$(basename "$out")"
  for file in keys/server.key keys/server.psk server/wg0.conf warehouses/any/wg0.conf; do
    git -C "$parent" check-ignore -q "$target/$file" ||
      die "$out is inside the git work tree $(git -C "$parent" rev-parse --show-toplevel) and $file there would not be ignored: keys could be committed. Use a directory outside it (e.g. /root/erp-wireguard) or deploy/wireguard/generated/."
  done
fi

# ---------------------------------------------------------------- keys

keygen=${ERP_WG_KEYGEN:-auto}
if [[ $keygen == auto ]]; then command -v wg >/dev/null && keygen=wg || keygen=openssl; fi
case $keygen in
wg) command -v wg >/dev/null || die "ERP_WG_KEYGEN=wg but wg is not installed (apt-get install -y wireguard-tools)" ;;
openssl) command -v openssl >/dev/null || die "neither wg nor openssl is installed" ;;
*) die "ERP_WG_KEYGEN must be auto, wg or openssl" ;;
esac

# A private key in WireGuard's form is the raw 32-byte X25519 key in base64;
# OpenSSL keeps it at the end of its DER encoding (PKCS#8), so the last 32
# bytes are the key, and the same header turns a raw key back into DER.
pkcs8_x25519_header='\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x6e\x04\x22\x04\x20'
genkey() {
  if [[ $keygen == wg ]]; then wg genkey; else openssl genpkey -algorithm X25519 -outform DER | tail -c 32 | base64; fi
}
pubkey() { # private key (base64) on stdin
  if [[ $keygen == wg ]]; then
    wg pubkey
  else
    { printf "$pkcs8_x25519_header" && base64 -d; } | openssl pkey -inform DER -pubout -outform DER | tail -c 32 | base64
  fi
}
genpsk() { if [[ $keygen == wg ]]; then wg genpsk; else openssl rand -base64 32; fi; }

mkdir -p -m 700 "$out" "$out/keys" "$out/server" "$out/warehouses"
chmod 700 "$out" "$out/keys" "$out/server" "$out/warehouses"

keypair() { # name: makes keys/NAME.key and keys/NAME.pub unless they exist
  local key="$out/keys/$1.key"
  [[ -s $key ]] || genkey >"$key"
  pubkey <"$key" >"$out/keys/$1.pub"
  chmod 600 "$key" "$out/keys/$1.pub"
}
read_key() { tr -d '\n' <"$out/keys/$1"; }

# ---------------------------------------------------------------- configs

fill() { # template file, then NAME=value pairs
  local text
  text=$(<"$templates/$1")
  shift
  for pair in "$@"; do text=${text//@${pair%%=*}@/${pair#*=}}; done
  [[ $text != *@[A-Z_]*@* ]] || die "a placeholder of $1 was left unfilled"
  printf '%s\n' "$text"
}
join() { local IFS=,; echo "$*" | sed 's/,/, /g'; }

keypair server
server_hosts=()
for a in "${server_addresses[@]}"; do server_hosts+=("$(host_of "$a")"); done
server_conf="$out/server/wg0.conf"
fill server.conf.template "SERVER_ADDRESS=$(join "${server_addresses[@]}")" "LISTEN_PORT=$listen_port" \
  "SERVER_PRIVATE_KEY=$(read_key server.key)" >"$server_conf"

for w in "${warehouses[@]}"; do
  name=${w%%=*}
  IFS=, read -ra addrs <<<"${w#*=}"
  tunnel=()
  for a in "${addrs[@]}"; do tunnel+=("$(host_of "$a")"); done
  keypair "$name"
  [[ -s $out/keys/$name.psk ]] || genpsk >"$out/keys/$name.psk"
  chmod 600 "$out/keys/$name.psk"
  fill server-peer.conf.template "PEER_NAME=$name" "PEER_PUBLIC_KEY=$(read_key "$name.pub")" \
    "PRESHARED_KEY=$(read_key "$name.psk")" "PEER_ALLOWED_IPS=$(join "${tunnel[@]}")" >>"$server_conf"
  mkdir -p -m 700 "$out/warehouses/$name"
  fill warehouse.conf.template "PEER_NAME=$name" "PEER_ADDRESS=$(join "${tunnel[@]}")" \
    "PEER_PRIVATE_KEY=$(read_key "$name.key")" "SERVER_PUBLIC_KEY=$(read_key server.pub)" \
    "PRESHARED_KEY=$(read_key "$name.psk")" "ENDPOINT=$endpoint" \
    "PEER_ROUTES=$(join "${server_hosts[@]}" "${routes[@]}")" >"$out/warehouses/$name/wg0.conf"
  chmod 600 "$out/warehouses/$name/wg0.conf"
done
chmod 600 "$server_conf"

echo "generate-configs: keys made with $keygen; wrote $server_conf and ${#warehouses[@]} warehouse config(s) under $out/warehouses/"
echo "  central server:  install -m 600 $server_conf /etc/wireguard/wg0.conf"
echo "  each warehouse:  copy $out/warehouses/NAME/wg0.conf to its /etc/wireguard/wg0.conf (0600) over a secure channel"
