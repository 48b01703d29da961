#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (as root), skipping what is already there.
set -euo pipefail
# build-essential, python3: node-gyp builds better-sqlite3 and keytar from source.
# libsecret-1-dev, gnome-keyring, dbus-x11: keytar and a real OS keychain session for the secret store tests.
# squid, apache2-utils (htpasswd): a real authenticating HTTP proxy; openssl: the test CA for the TLS tests.
# postgresql (15), mariadb-server (10.11): real database servers the capture tests start on free ports.
# chromium: the real browser the Playwright tests drive against the web console.
# mosquitto (MQTT) and rabbitmq-server (AMQP 0-9-1): real brokers the broker destination tests start on free ports.
# unixodbc(-dev) and the ODBC drivers for PostgreSQL, MariaDB, SQLite and Access (mdbtools): the ODBC source tests.
# prometheus: promtool checks the metrics exposition and the fleet scrape config and alert rules.
packages=(build-essential python3 libsecret-1-dev gnome-keyring dbus-x11 squid apache2-utils openssl postgresql mariadb-server chromium mosquitto rabbitmq-server unixodbc unixodbc-dev odbc-postgresql odbc-mariadb libsqliteodbc odbc-mdbtools prometheus)
bash "$(dirname "$0")/../../build/install-debian-packages.sh" "${packages[@]}"
