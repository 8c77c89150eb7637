#!/usr/bin/env bash
# Makes sure Debian's AWS CLI v2 is at /usr/bin/aws (installing the `awscli` package when it is missing), so
# a fresh CI machine can run the proxy tests that drive it, as test/servers/rgw.sh does for radosgw. A pip
# AWS CLI v1 may come first on PATH: the tests always call /usr/bin/aws by its full path.
# Prints the version on success.
set -euo pipefail

AWS=/usr/bin/aws

die() {
  echo "awscli.sh: $1" >&2
  [[ -n "${2:-}" && -f "$2" ]] && tail -n 30 "$2" >&2
  exit 1
}

if [[ ! -x "$AWS" ]]; then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install the AWS CLI v2 at $AWS by hand"
  sudo=""
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot apt-get install awscli"
    sudo="sudo"
  fi
  out="$(mktemp)"
  trap 'rm -f "$out"' EXIT
  echo "awscli.sh: installing awscli with apt-get" >&2
  $sudo apt-get update >"$out" 2>&1 || die "apt-get update failed" "$out"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends awscli >"$out" 2>&1 || die "apt-get install awscli failed" "$out"
fi
"$AWS" --version
