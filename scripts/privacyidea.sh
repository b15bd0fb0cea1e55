#!/usr/bin/env bash
# A real privacyIDEA server (PyPI, in a venv under target/) for the push interop tests
# (tests/privacyidea/, the app walk `privacyidea`).
#
#   scripts/privacyidea.sh install          the venv target/venv-privacyidea, where missing
#   scripts/privacyidea.sh serve DIR PORT   a fresh instance in DIR (pi.cfg, SQLite file, new
#                                           encryption and audit keys, an admin, an editable
#                                           user resolver "users"), then the server on
#                                           127.0.0.1:PORT in the foreground
#
# serve takes the admin's password from ZF_PI_ADMIN_PASSWORD (admin name: "admin") and, when
# ZF_PI_PARENT is set, stops the server once that process is gone, so a test binary that dies
# leaves no server behind. Everything the server logs stays in DIR (privacyidea.log,
# gunicorn.log). Realms, policies, users and tokens are the caller's: tests/support/privacyidea.rs sets
# them through the REST API, as an administrator would.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="target/venv-privacyidea"
REQUIREMENTS="scripts/lib/privacyidea-requirements.txt"
PI_VERSION=$(sed -n 's/^privacyIDEA==//p' "$REQUIREMENTS")

installed() {
  [ "$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("privacyIDEA"))' 2>/dev/null)" = "$PI_VERSION" ] &&
    [ -x "$VENV/bin/gunicorn" ] && [ -f "$VENV/.requirements" ] && cmp -s "$REQUIREMENTS" "$VENV/.requirements"
}

install() {
  installed && return 0
  echo "Installing privacyIDEA $PI_VERSION into $VENV" >&2
  rm -rf "$VENV"
  # Debian's python3 has venv (and its pip) in a package of its own.
  python3 -m venv "$VENV" 2>/dev/null || {
    rm -rf "$VENV"
    source scripts/lib/deps.sh
    ensure_debian_packages python3-venv
    python3 -m venv "$VENV"
  }
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS" >&2
  cp "$REQUIREMENTS" "$VENV/.requirements"
}

pi_manage() {
  PRIVACYIDEA_CONFIGFILE="$DIR/pi.cfg" "$VENV/bin/pi-manage" "$@" >>"$DIR/setup.log" 2>&1 || {
    cat "$DIR/setup.log" >&2
    echo "pi-manage $1 $2 failed" >&2
    exit 1
  }
}

serve() {
  DIR=$(realpath -m "$1")
  local port="$2"
  : "${ZF_PI_ADMIN_PASSWORD:?ZF_PI_ADMIN_PASSWORD must hold the admin password}"
  install
  rm -rf "$DIR"
  mkdir -p "$DIR"
  local secret pepper
  secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
  pepper=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  cat >"$DIR/pi.cfg" <<CFG
import logging
SQLALCHEMY_DATABASE_URI = "sqlite:///$DIR/privacyidea.sqlite"
SECRET_KEY = "$secret"
PI_PEPPER = "$pepper"
PI_ENCFILE = "$DIR/enckey"
PI_AUDIT_KEY_PRIVATE = "$DIR/audit-private.pem"
PI_AUDIT_KEY_PUBLIC = "$DIR/audit-public.pem"
PI_AUDIT_SQL_TRUNCATE = True
PI_LOGFILE = "$DIR/privacyidea.log"
PI_LOGLEVEL = logging.INFO
CFG
  # What `pi-manage setup create_enckey` and `create_audit_keys` write (96 random bytes; an
  # RSA key pair, PKCS#1 and SubjectPublicKeyInfo PEM), made here in one process instead of two
  # start-ups of the whole application.
  "$VENV/bin/python" - "$DIR" <<'PY'
import os, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
d = sys.argv[1]
with open(os.path.join(d, "enckey"), "wb") as f:
    f.write(os.urandom(96))
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
with open(os.path.join(d, "audit-private.pem"), "wb") as f:
    f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()))
with open(os.path.join(d, "audit-public.pem"), "wb") as f:
    f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo))
os.chmod(os.path.join(d, "enckey"), 0o400)
os.chmod(os.path.join(d, "audit-private.pem"), 0o400)
PY
  pi_manage setup create_tables
  pi_manage admin add admin --password "$ZF_PI_ADMIN_PASSWORD"
  pi_manage config resolver create_internal users

  PRIVACYIDEA_CONFIGFILE="$DIR/pi.cfg" "$VENV/bin/gunicorn" \
    --bind "127.0.0.1:$port" --workers 1 --threads 8 --timeout 60 --graceful-timeout 5 \
    --error-logfile "$DIR/gunicorn.log" --capture-output --control-socket "$DIR/gunicorn.ctl" \
    "privacyidea.app:create_app(config_name='production', config_file='$DIR/pi.cfg', silent=True)" &
  # Global, not local: the EXIT trap runs after serve has returned.
  SERVER_PID=$!
  trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
  trap 'exit 143' TERM INT
  if [ -n "${ZF_PI_PARENT:-}" ]; then
    while kill -0 "$SERVER_PID" 2>/dev/null && kill -0 "$ZF_PI_PARENT" 2>/dev/null; do
      sleep 1
    done
  else
    wait "$SERVER_PID"
  fi
}

case "${1:-}" in
  install) install ;;
  serve) [ $# -eq 3 ] || { echo "usage: $0 serve DIR PORT" >&2; exit 2; }; serve "$2" "$3" ;;
  *) echo "usage: $0 install | serve DIR PORT" >&2; exit 2 ;;
esac
