#!/usr/bin/env bash
# Makes a self-signed certificate for trying the ERP over HTTPS (npm start
# with ERP_TLS=on, the e2e suite, a trial server). Browsers warn about it:
# a real deployment uses a certificate from the company's CA or a public one.
#
#   deploy/nginx/make-trial-cert.sh OUT_DIR [HOSTNAME ...]
#
# Writes OUT_DIR/trial.crt and OUT_DIR/trial.key (mode 600), valid 825 days
# for localhost, 127.0.0.1, ::1 and every HOSTNAME given (a name or an IPv4
# or IPv6 address). Leaves an existing pair alone; delete it to make a new one.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 OUT_DIR [HOSTNAME ...]" >&2
  exit 2
fi
out="$1"
shift
command -v openssl >/dev/null 2>&1 || {
  echo "openssl is needed: apt-get install -y openssl" >&2
  exit 1
}

crt="$out/trial.crt"
key="$out/trial.key"
if [ -s "$crt" ] && [ -s "$key" ]; then
  echo "$crt exists: keeping it"
  exit 0
fi

san="DNS:localhost,IP:127.0.0.1,IP:::1"
cn="localhost"
for name in "$@"; do
  if ! [[ "$name" =~ ^[A-Za-z0-9.:-]+$ ]]; then
    echo "not a host name or address: $name" >&2
    exit 2
  fi
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then
    san="$san,IP:$name"
  else
    san="$san,DNS:$name"
    [ "$cn" = localhost ] && cn="$name"
  fi
done

mkdir -p "$out"
# The key is written with no access for others before openssl fills it.
umask 077
tmp="$(mktemp -d "$out/.trial-cert.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 825 \
  -keyout "$tmp/trial.key" -out "$tmp/trial.crt" \
  -subj "/O=Factory ERP trial/CN=$cn" \
  -addext "subjectAltName=$san" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
  -addext "extendedKeyUsage=serverAuth" 2>/dev/null
chmod 644 "$tmp/trial.crt"
chmod 600 "$tmp/trial.key"
mv "$tmp/trial.key" "$key"
mv "$tmp/trial.crt" "$crt"
echo "wrote $crt and $key (self-signed, for $san)"
