#!/usr/bin/env bash
# Installs the Debian packages `npm ci` needs to build the agent's native modules (as root), skipping what is there.
set -euo pipefail
# build-essential, python3: node-gyp compiles better-sqlite3 and keytar where no prebuilt binary can be downloaded.
# libsecret-1-dev: keytar (the OS keychain secret store) links against libsecret.
# unixodbc, unixodbc-dev: the optional odbc module (ODBC sources) builds against unixODBC and loads libodbc.
bash "$(dirname "$0")/install-debian-packages.sh" build-essential python3 libsecret-1-dev unixodbc unixodbc-dev
