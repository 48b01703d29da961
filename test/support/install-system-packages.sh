#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (as root), skipping what is already there.
set -euo pipefail
# build-essential, python3: node-gyp builds better-sqlite3 and keytar from source.
# libsecret-1-dev, gnome-keyring, dbus-x11: keytar and a real OS keychain session for the secret store tests.
# squid, apache2-utils (htpasswd): a real authenticating HTTP proxy; openssl: the test CA for the TLS tests.
# postgresql (15), mariadb-server (10.11): real database servers the capture tests start on free ports.
# chromium: the real browser the Playwright tests drive against the web console.
packages=(build-essential python3 libsecret-1-dev gnome-keyring dbus-x11 squid apache2-utils openssl postgresql mariadb-server chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
