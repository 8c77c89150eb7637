#!/usr/bin/env bash
# Installs Debian's python3-botocore, the third oracle of the differential signing tests
# (test/helpers/botocore-oracle.py), for the system interpreter /usr/bin/python3 only.
# Idempotent: does nothing when `/usr/bin/python3 -c 'import botocore'` already works.
#
#   test/servers/install-botocore.sh     exit 0 when botocore is importable afterwards, 1 otherwise
#
# The system interpreter is named explicitly: a `python3` found on PATH (pyenv, a virtualenv) may carry
# another botocore, or none, and the tests must compare against the one this script installs.
set -euo pipefail

PYTHON=/usr/bin/python3

have_botocore() { [ -x "$PYTHON" ] && "$PYTHON" -c 'import botocore' >/dev/null 2>&1; }

if have_botocore; then
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || { echo "install-botocore.sh: apt-get not found; install python3-botocore for $PYTHON by hand" >&2; exit 1; }
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-botocore.sh: not root and no sudo: cannot apt-get install" >&2; exit 1; }
  sudo="sudo"
fi

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
# Another apt-get (the RGW test server's installer) may hold the dpkg lock: wait for it rather than fail.
wait_lock=(-o DPkg::Lock::Timeout=180)
echo "install-botocore.sh: installing python3-botocore with apt-get" >&2
if ! $sudo apt-get "${wait_lock[@]}" update >"$out" 2>&1; then
  cat "$out" >&2
  echo "install-botocore.sh: apt-get update failed" >&2
  exit 1
fi
if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get "${wait_lock[@]}" install -y --no-install-recommends python3-botocore >"$out" 2>&1; then
  cat "$out" >&2
  echo "install-botocore.sh: apt-get install python3-botocore failed" >&2
  exit 1
fi
if ! have_botocore; then
  echo "install-botocore.sh: python3-botocore installed but '$PYTHON -c \"import botocore\"' still fails" >&2
  exit 1
fi
echo "install-botocore.sh: botocore $("$PYTHON" -c 'import botocore; print(botocore.__version__)') ready" >&2
