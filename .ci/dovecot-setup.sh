#!/bin/sh
# Installs Dovecot's IMAP server for the real-server tests (mail/dovecottest)
# and makes sure the system's own Dovecot service is not running: each test
# starts a private instance on 127.0.0.1 ports of its own, as a child of the
# test process, so the system service is not needed.
#
# Idempotent: safe to run on every CI job. Needs root or sudo to install.
set -eu

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo -n"
else
	SUDO=
fi

if [ ! -x /usr/sbin/dovecot ]; then
	echo "dovecot-setup: installing dovecot-imapd"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends dovecot-imapd >/dev/null
fi

# Stop and disable the system instance if the package started one (it does
# on machines running systemd; in containers policy-rc.d usually forbids it).
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	$SUDO systemctl disable --now dovecot.socket dovecot.service >/dev/null 2>&1 || true
fi
# Whatever started it, "dovecot stop" with the system configuration stops
# only the instance whose base_dir is the system one (/run/dovecot), never
# a test's private instance.
if [ -f /run/dovecot/master.pid ] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
	$SUDO /usr/sbin/dovecot -c /etc/dovecot/dovecot.conf stop >/dev/null 2>&1 ||
		$SUDO kill "$(cat /run/dovecot/master.pid)" 2>/dev/null || true
fi
if [ -f /run/dovecot/master.pid ] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
	echo "dovecot-setup: the system dovecot (pid $(cat /run/dovecot/master.pid)) is still running" >&2
	exit 1
fi

echo "dovecot-setup: dovecot $(/usr/sbin/dovecot --version) ready; system service not running"
