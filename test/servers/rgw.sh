#!/usr/bin/env bash
# A throwaway single-node Ceph RADOS Gateway (RGW) on 127.0.0.1: the real, signature-verifying
# S3/STS server the integration tests run against.
#
#   test/servers/rgw.sh install   install radosgw, ceph-mon, ceph-osd from Debian (only if missing)
#   test/servers/rgw.sh start     (install if needed,) start mon + memstore osd + radosgw, create the
#                                 test user, its policy and a role; print state.json as the last line
#   test/servers/rgw.sh stop      stop the daemons this script started and remove the state dir
#   test/servers/rgw.sh status    print state.json plus which daemons are alive; exit 1 if not running
#
# State (config, data, logs, state.json) lives in $RGW_STATE_DIR, default <project>/.tmp/rgw.
# Nothing is kept across runs: the object store is in memory (memstore).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT="$(cd "$SCRIPT_DIR/../.." && pwd)"
STATE_DIR="${RGW_STATE_DIR:-$PROJECT/.tmp/rgw}"
STATE_JSON="$STATE_DIR/state.json"
CONF="$STATE_DIR/ceph.conf"
LOG_DIR="$STATE_DIR/log"

# Fixed credentials for a local throwaway server only.
ACCESS_KEY="GOTAWS4AUTHTESTKEY01"
SECRET_KEY="gotaws4authTestSecretKey0123456789abcdef"   # 40 characters
USER_ID="tester"
ROLE_NAME="demo-role"
ROLE_ARN="arn:aws:iam:::role/$ROLE_NAME"
RGW_NAME="client.rgw.gotaws4auth"
STS_KEY="gotaws4authstsk1"                               # exactly 16 characters

START_TIMEOUT="${RGW_START_TIMEOUT:-120}"   # seconds, per wait
CMD_TIMEOUT="${RGW_CMD_TIMEOUT:-60}"        # seconds, per ceph / radosgw-admin command

T0="${EPOCHREALTIME/,/.}"
log() { printf '[rgw.sh +%ss] %s\n' "$(awk -v a="$T0" -v b="${EPOCHREALTIME/,/.}" 'BEGIN { printf "%.1f", b - a }')" "$*" >&2; }

die() {
  log "ERROR: $1"
  shift || true
  for f in "$@"; do
    if [[ -f "$f" ]]; then
      log "---- last 40 lines of $f ----"
      tail -n 40 "$f" >&2 || true
    fi
  done
  if [[ "${STARTING:-0}" == 1 ]]; then
    # Leave nothing running, but keep the logs: the next start or stop removes them.
    kill_recorded
    log "logs kept in $LOG_DIR"
  fi
  exit 1
}

have_binaries() {
  command -v radosgw >/dev/null 2>&1 && command -v ceph-mon >/dev/null 2>&1 &&
    command -v ceph-osd >/dev/null 2>&1 && command -v radosgw-admin >/dev/null 2>&1 &&
    command -v monmaptool >/dev/null 2>&1 && command -v ceph >/dev/null 2>&1
}

cmd_install() {
  if have_binaries; then
    log "radosgw, ceph-mon and ceph-osd are already installed"
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install radosgw, ceph-mon and ceph-osd by hand"
  local sudo=""
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot apt-get install"
    sudo="sudo"
  fi
  log "installing radosgw ceph-mon ceph-osd with apt-get (about a minute)"
  local out
  out="$(mktemp)"
  if ! $sudo apt-get update >"$out" 2>&1; then
    die "apt-get update failed" "$out"
  fi
  if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    radosgw ceph-mon ceph-osd >>"$out" 2>&1; then
    die "apt-get install failed" "$out"
  fi
  rm -f "$out"
  have_binaries || die "apt-get install finished but the ceph binaries are still missing"
  log "installed"
}

# Does PID belong to a daemon started from this state dir? (guards against reused PIDs)
pid_is_ours() {
  local pid="$1"
  [[ -n "$pid" && "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$CONF"
}

# Is PID gone (or a zombie waiting for a parent to reap it)?
pid_gone() {
  ! kill -0 "$1" 2>/dev/null || [[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" == Z ]]
}

# stop_pid NAME PID: SIGTERM, wait up to 10 s, then SIGKILL.
stop_pid() {
  local name="$1" pid="$2" deadline=$((SECONDS + 10))
  kill -TERM "$pid" 2>/dev/null || return 0
  while ((SECONDS < deadline)); do
    pid_gone "$pid" && return 0
    sleep 0.1
  done
  log "$name (pid $pid) still alive after 10 s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.2
}

kill_recorded() {
  # One at a time in reverse start order (rgw, osd, mon): with the monitor gone first,
  # the others wait out their monitor timeouts before exiting.
  local name pid stopped=""
  for name in rgw osd mon; do
    pid="$(cat "$STATE_DIR/pids/$name.pid" 2>/dev/null || true)"
    if pid_is_ours "$pid"; then
      log "stopping $name (pid $pid)"
      stop_pid "$name" "$pid"
      stopped+=" $pid "
    fi
  done
  # Anything else started with our config that was never recorded (e.g. a crash between fork
  # and pid file, or a hung ceph/radosgw-admin command).
  while read -r pid; do
    [[ "$stopped" == *" $pid "* || "$pid" == "$$" ]] && continue
    pid_is_ours "$pid" || continue
    log "stopping stray pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    stop_pid stray "$pid"
  done < <(pgrep -f -- "$CONF" 2>/dev/null || true)
  return 0
}

free_ports() {
  # Ask the kernel for N free TCP ports on 127.0.0.1 (all held open at once, so they differ).
  node -e '
    const net = require("node:net");
    const n = Number(process.argv[1]);
    const servers = [];
    let done = 0;
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      servers.push(s);
      s.listen(0, "127.0.0.1", () => {
        if (++done === n) {
          console.log(servers.map((x) => x.address().port).join(" "));
          for (const x of servers) x.close();
        }
      });
    }
  ' "$1"
}

run_ceph() {
  # ceph CLI with a timeout; output to the admin log, stdout returned.
  timeout "$CMD_TIMEOUT" ceph -c "$CONF" --connect-timeout 20 "$@" 2>>"$LOG_DIR/admin.log"
}

# retry DESCRIPTION LOGFILE COMMAND...: run COMMAND until it succeeds (a just-started monitor can
# answer some commands before it takes others: "EPERM: problem getting command descriptions").
retry() {
  local what="$1" logf="$2"
  shift 2
  local deadline=$((SECONDS + START_TIMEOUT)) attempt=1
  until "$@" >>"$LOG_DIR/admin.log"; do
    ((SECONDS < deadline)) || die "$what failed (tried $attempt times in ${START_TIMEOUT}s)" "$LOG_DIR/admin.log" "$logf"
    attempt=$((attempt + 1))
    sleep 0.5
  done
}

mon_in_quorum() {
  run_ceph quorum_status --format json | grep -q '"quorum_names":\["a"\]'
}

run_admin() {
  timeout "$CMD_TIMEOUT" radosgw-admin -c "$CONF" "$@" 2>>"$LOG_DIR/admin.log"
}

launch() {
  # launch NAME CMD...: start a daemon in the background, detached from our stdio, record its PID.
  # (No setsid: staying in the caller's process group means a Ctrl-C of the test run ends them too.)
  local name="$1"
  shift
  "$@" </dev/null >>"$LOG_DIR/$name.out" 2>&1 &
  echo $! >"$STATE_DIR/pids/$name.pid"
  LAUNCHED_PID=$!
}

wait_for() {
  # wait_for DESCRIPTION NAME LOGFILE COMMAND...: poll COMMAND until it succeeds, while the daemon
  # launched as NAME is alive.
  local what="$1" name="$2" logf="$3"
  shift 3
  local pid deadline=$((SECONDS + START_TIMEOUT))
  pid="$(cat "$STATE_DIR/pids/$name.pid")"
  until "$@" >/dev/null 2>&1; do
    if pid_gone "$pid"; then
      die "$what: $name (pid $pid) exited" "$logf" "$LOG_DIR/$name.out"
    fi
    if ((SECONDS >= deadline)); then
      die "timed out after ${START_TIMEOUT}s waiting for $what" "$logf" "$LOG_DIR/$name.out"
    fi
    sleep 0.3
  done
}

osd_is_up() {
  run_ceph osd dump --format json | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const osds = JSON.parse(s).osds || [];
      process.exit(osds.some((o) => o.osd === Number(process.argv[1]) && o.up === 1) ? 0 : 1);
    });' "$1"
}

http_answers() {
  node -e '
    const req = require("node:http").get(process.argv[1], { timeout: 2000 }, (res) => {
      res.resume(); process.exit(res.statusCode ? 0 : 1);
    });
    req.on("error", () => process.exit(1));
    req.on("timeout", () => { req.destroy(); process.exit(1); });
  ' "$1"
}

cmd_start() {
  have_binaries || cmd_install

  if [[ -e "$STATE_DIR" ]]; then
    log "cleaning stale state dir $STATE_DIR"
    kill_recorded
    rm -rf "$STATE_DIR"
  fi
  mkdir -p "$STATE_DIR"/{mon,osd,run,pids} "$LOG_DIR"
  STARTING=1

  local ports mon_port rgw_port fsid osd_uuid
  ports="$(free_ports 2)"
  read -r mon_port rgw_port <<<"$ports"
  fsid="$(node -p 'crypto.randomUUID()')"
  osd_uuid="$(node -p 'crypto.randomUUID()')"

  cat >"$CONF" <<EOF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$mon_port
mon initial members = a
public network = 127.0.0.1/32
auth cluster required = none
auth service required = none
auth client required = none
ms bind msgr2 = false
ms bind ipv6 = false
run dir = $STATE_DIR/run
admin socket = $STATE_DIR/run/\$name.asok
pid file = $STATE_DIR/run/\$name.pid
log file = $LOG_DIR/\$name.log
log to stderr = false
err to stderr = true
mon cluster log file = $LOG_DIR/cluster.log
keyring = /dev/null
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
# Commit monitor changes at once instead of batching them for a second (radosgw creates its
# pools one monitor command at a time: this takes its start from ~9 s to ~1 s).
paxos propose interval = 0.01
paxos min wait = 0.01
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0

[mon]
mon data = $STATE_DIR/mon/\$cluster-\$id

[osd]
osd data = $STATE_DIR/osd/\$cluster-\$id
osd objectstore = memstore
# 4 GiB of RAM at most: a test run writes several 256 MiB objects, and deleted ones linger until GC.
memstore device bytes = 4294967296
osd class update on start = false
osd crush update on start = false
osd max object name len = 460
osd max object namespace len = 64

[$RGW_NAME]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw dns name = 127.0.0.1
rgw sts key = $STS_KEY
rgw s3 auth use sts = true
rgw enable usage log = false
# Collect deleted objects' data at once (the default waits two hours), so the in-memory store never fills.
rgw gc obj min wait = 0
rgw gc processor period = 10
rgw data = $STATE_DIR/rgw
EOF

  # --- monitor ---
  timeout "$CMD_TIMEOUT" monmaptool --create --clobber --fsid "$fsid" \
    --addv a "[v1:127.0.0.1:$mon_port]" "$STATE_DIR/monmap" >>"$LOG_DIR/admin.log" 2>&1 ||
    die "monmaptool failed" "$LOG_DIR/admin.log"
  timeout "$CMD_TIMEOUT" ceph-mon -c "$CONF" -i a --mkfs --monmap "$STATE_DIR/monmap" \
    >>"$LOG_DIR/admin.log" 2>&1 || die "ceph-mon --mkfs failed" "$LOG_DIR/admin.log" "$LOG_DIR/mon.a.log"
  log "starting ceph-mon on 127.0.0.1:$mon_port"
  launch mon ceph-mon -c "$CONF" -i a -f
  local mon_pid=$LAUNCHED_PID
  wait_for "the monitor to form a quorum" mon "$LOG_DIR/mon.a.log" mon_in_quorum

  # --- one memstore OSD ---
  log "monitor is up; creating osd"
  local osd_id=""
  # `osd new UUID` is idempotent: a retry returns the same id.
  retry "ceph osd new" "$LOG_DIR/mon.a.log" eval 'osd_id="$(run_ceph osd new "$osd_uuid")"'
  [[ "$osd_id" =~ ^[0-9]+$ ]] || die "ceph osd new printed '$osd_id', not an id" "$LOG_DIR/admin.log"
  retry "ceph osd crush add" "$LOG_DIR/mon.a.log" \
    run_ceph osd crush add "osd.$osd_id" 1.0 root=default host=localhost
  mkdir -p "$STATE_DIR/osd/ceph-$osd_id"
  timeout "$CMD_TIMEOUT" ceph-osd -c "$CONF" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" \
    >>"$LOG_DIR/admin.log" 2>&1 || die "ceph-osd --mkfs failed" "$LOG_DIR/admin.log" "$LOG_DIR/osd.$osd_id.log"
  log "starting ceph-osd (osd.$osd_id, memstore)"
  launch osd ceph-osd -c "$CONF" -i "$osd_id" -f
  local osd_pid=$LAUNCHED_PID
  wait_for "osd.$osd_id to come up" osd "$LOG_DIR/osd.$osd_id.log" osd_is_up "$osd_id"

  # --- radosgw ---
  mkdir -p "$STATE_DIR/rgw"
  log "starting radosgw on 127.0.0.1:$rgw_port"
  launch rgw radosgw -c "$CONF" -n "$RGW_NAME" -f
  local rgw_pid=$LAUNCHED_PID
  local endpoint="http://127.0.0.1:$rgw_port"
  wait_for "radosgw to answer HTTP on $endpoint" rgw "$LOG_DIR/$RGW_NAME.log" http_answers "$endpoint/"

  # --- user, caps, user policy, role ---
  log "creating user $USER_ID, its policy and role $ROLE_NAME"
  run_admin user create --uid="$USER_ID" --display-name="$USER_ID" \
    --access-key="$ACCESS_KEY" --secret="$SECRET_KEY" >/dev/null ||
    die "radosgw-admin user create failed" "$LOG_DIR/admin.log"
  run_admin caps add --uid="$USER_ID" --caps="user-policy=*;roles=*" >/dev/null ||
    die "radosgw-admin caps add failed" "$LOG_DIR/admin.log"
  run_admin role create --role-name="$ROLE_NAME" --path=/ \
    --assume-role-policy-doc='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/'"$USER_ID"'"]},"Action":["sts:AssumeRole"]}]}' \
    >/dev/null || die "radosgw-admin role create failed" "$LOG_DIR/admin.log"
  run_admin role-policy put --role-name="$ROLE_NAME" --policy-name=s3all \
    --policy-doc='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"arn:aws:s3:::*"}]}' \
    >/dev/null || die "radosgw-admin role-policy put failed" "$LOG_DIR/admin.log"
  timeout "$CMD_TIMEOUT" node "$SCRIPT_DIR/rgw-put-user-policy.mjs" "$endpoint" "$ACCESS_KEY" "$SECRET_KEY" "$USER_ID" \
    >>"$LOG_DIR/admin.log" 2>&1 || die "PutUserPolicy for $USER_ID failed" "$LOG_DIR/admin.log" "$LOG_DIR/$RGW_NAME.log"

  local json
  json="$(node -e '
    const [endpoint, accessKeyId, secretAccessKey, roleArn, mon, osd, rgw, stateDir] = process.argv.slice(1);
    console.log(JSON.stringify({
      endpoint, region: "us-east-1", accessKeyId, secretAccessKey, roleArn, stateDir,
      pids: { mon: Number(mon), osd: Number(osd), rgw: Number(rgw) },
    }));
  ' "$endpoint" "$ACCESS_KEY" "$SECRET_KEY" "$ROLE_ARN" "$mon_pid" "$osd_pid" "$rgw_pid" "$STATE_DIR")"
  printf '%s\n' "$json" >"$STATE_JSON.tmp"
  mv "$STATE_JSON.tmp" "$STATE_JSON"
  log "radosgw is up at $endpoint (state in $STATE_DIR)"
  printf '%s\n' "$json"
}

cmd_stop() {
  if [[ ! -e "$STATE_DIR" ]]; then
    log "not running (no $STATE_DIR)"
    return 0
  fi
  kill_recorded
  rm -rf "$STATE_DIR"
  log "stopped"
}

cmd_status() {
  if [[ ! -f "$STATE_JSON" ]]; then
    log "not running (no $STATE_JSON)"
    return 1
  fi
  local name pid alive=0 total=0
  for name in mon osd rgw; do
    pid="$(cat "$STATE_DIR/pids/$name.pid" 2>/dev/null || true)"
    total=$((total + 1))
    if pid_is_ours "$pid"; then
      alive=$((alive + 1))
      log "$name: running (pid $pid)"
    else
      log "$name: NOT running (pid ${pid:-?})"
    fi
  done
  cat "$STATE_JSON"
  [[ $alive -eq $total ]]
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 install|start|stop|status" >&2
    exit 2
    ;;
esac
