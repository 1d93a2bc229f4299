#!/usr/bin/env bash
# Start or stop a throw-away Ceph RADOS Gateway (a second, real S3 server) for the tests.
#
#   eval "$(bash scripts/rgw.sh start)"   # prints export lines: RGW_ENDPOINT, RGW_ACCESS_KEY, RGW_SECRET_KEY, RGW_DIR
#   bash scripts/rgw.sh stop              # stops the daemons named by $RGW_DIR's pid files, removes $RGW_DIR
#
# A single-node cluster on 127.0.0.1: one monitor, one OSD keeping its data in RAM (memstore), and
# radosgw; no manager daemon (RGW does not need one) and no cephx (nothing leaves loopback). Debian's
# ceph-mon, ceph-osd, radosgw and ceph-common are installed with apt-get when missing (needs root;
# ~20 s once). Start-up takes a few seconds. Ports and keys are fresh each time, so several clusters
# can run side by side. Progress goes to stderr; only export lines go to stdout. On a failed start
# the daemons are stopped again and the logs are printed.
set -euo pipefail

log() { printf '[rgw] %s\n' "$*" >&2; }

need_packages() {
  local missing=()
  command -v ceph-mon >/dev/null || missing+=(ceph-mon)
  command -v ceph-osd >/dev/null || missing+=(ceph-osd)
  command -v radosgw >/dev/null || missing+=(radosgw)
  command -v radosgw-admin >/dev/null || missing+=(ceph-common)
  command -v ceph >/dev/null || missing+=(ceph-common)
  command -v monmaptool >/dev/null || missing+=(ceph-base)
  command -v curl >/dev/null || missing+=(curl)
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || { log "missing ${missing[*]} and not root: cannot install"; return 1; }
  log "installing ${missing[*]} (apt-get, one time)"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq >&2 || return 1
  # shellcheck disable=SC2046
  timeout 600 apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >&2
}

# A free TCP port on 127.0.0.1 outside 6800-7300, the range the OSD binds its own ports in.
free_port() {
  local port
  for _ in $(seq 1 20); do
    port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
    if [ "$port" -lt 6800 ] || [ "$port" -gt 7300 ]; then echo "$port"; return 0; fi
  done
  return 1
}

write_conf() { # write_conf DIR FSID MON_PORT S3_PORT
  cat >"$1/ceph.conf" <<EOF
[global]
fsid = $2
mon host = v2:127.0.0.1:$3
public addr = 127.0.0.1
cluster addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
# Without cephx, the default "secure" mode between radosgw and the monitor cannot be negotiated.
ms mon client mode = crc
keyring = /dev/null
run dir = $1/run
pid file = $1/run/\$name.pid
admin socket = $1/run/\$name.asok
log file = $1/log/\$name.log
crash dir = $1/crash
# One OSD: pools of one replica, few placement groups, no autoscaling (there is no manager).
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail crit = 0
# radosgw creates several pools when it starts; commit monitor maps quickly instead of once a second.
paxos propose interval = 0.05
paxos min wait = 0.01

[mon]
mon data = $1/mon

[osd]
osd data = $1/osd
osd objectstore = memstore
osd crush update on start = false
memstore device bytes = 4294967296
osd memory target = 939524096

[client.rgw.s3]
rgw frontends = beast endpoint=127.0.0.1:$4 tcp_nodelay=1
rgw thread pool size = 32
# Reclaim deleted objects' space after a minute rather than hours (memstore is RAM).
rgw gc obj min wait = 60
rgw gc processor period = 60
EOF
}

# Signed S3 request (curl's SigV4; RGW insists on x-amz-content-sha256).
s3curl() {
  curl -sS --max-time 5 --aws-sigv4 "aws:amz:us-east-1:s3" -u "$ACCESS:$SECRET" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"
}

wait_for() { # wait_for TRIES DESCRIPTION COMMAND...: retry every 0.2 s
  local tries="$1" what="$2"; shift 2
  for _ in $(seq 1 "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  log "timed out waiting for $what"; return 1
}

osd_up() { ceph osd dump 2>/dev/null | grep -q '^osd\.0 up'; }
s3_up() { s3curl -f "$ENDPOINT/" | grep -q ListAllMyBucketsResult; }

boot() { # boot DIR: bring the cluster up; returns non-zero at the first failing step
  local dir="$1" fsid uuid
  fsid="$(cat /proc/sys/kernel/random/uuid)"; uuid="$(cat /proc/sys/kernel/random/uuid)"
  write_conf "$dir" "$fsid" "$MON_PORT" "$S3_PORT" || return 1
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$MON_PORT]" "$dir/monmap" >/dev/null || return 1
  ceph-mon --mkfs -i a --monmap "$dir/monmap" --keyring /dev/null 2>>"$dir/log/setup.log" || return 1
  ceph-mon -i a || return 1
  timeout 30 ceph --connect-timeout 25 mon stat >/dev/null || return 1
  [ "$(timeout 30 ceph osd new "$uuid")" = 0 ] || return 1
  timeout 30 ceph osd crush add osd.0 1 root=default >/dev/null 2>&1 || return 1
  timeout 120 ceph-osd -i 0 --mkfs --osd-uuid "$uuid" >>"$dir/log/setup.log" 2>&1 || return 1
  ceph-osd -i 0 2>>"$dir/log/setup.log" || return 1
  wait_for 300 "the OSD" osd_up || return 1
  radosgw -n client.rgw.s3 || return 1
  timeout 120 radosgw-admin user create --uid=strongroom --display-name=Strongroom \
    --access-key="$ACCESS" --secret-key="$SECRET" >/dev/null 2>>"$dir/log/setup.log" || return 1
  wait_for 300 "radosgw to answer signed requests" s3_up || return 1
  # The first bucket and object create RGW's index and data pools: do that now, not in a test.
  local probe="warmup-$$"
  s3curl -f -X PUT "$ENDPOINT/$probe" >/dev/null || return 1
  s3curl -f -X PUT --data-binary warm "$ENDPOINT/$probe/o" >/dev/null || return 1
  s3curl -f -X DELETE "$ENDPOINT/$probe/o" >/dev/null || return 1
  s3curl -f -X DELETE "$ENDPOINT/$probe" >/dev/null || return 1
}

start() {
  need_packages || { log "Ceph packages unavailable"; return 1; }
  local dir
  dir="$(mktemp -d /tmp/strongroom-rgw.XXXXXX)"
  mkdir -p "$dir"/{mon,osd,run,log,crash}
  MON_PORT="$(free_port)"; S3_PORT="$(free_port)"
  while [ "$S3_PORT" = "$MON_PORT" ]; do S3_PORT="$(free_port)"; done
  ACCESS="SR$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)"
  SECRET="$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"
  ENDPOINT="http://127.0.0.1:$S3_PORT"
  export CEPH_CONF="$dir/ceph.conf"
  # (errexit does not apply inside an `if` condition: boot checks every step itself)
  if ! boot "$dir"; then
    log "Ceph RGW did not start; logs follow"
    tail -n 15 "$dir"/log/*.log >&2 2>/dev/null || true
    RGW_DIR="$dir" stop
    return 1
  fi
  log "Ceph RGW ready at $ENDPOINT (state in $dir)"
  echo "export RGW_ENDPOINT=$ENDPOINT"
  echo "export RGW_ACCESS_KEY=$ACCESS"
  echo "export RGW_SECRET_KEY=$SECRET"
  echo "export RGW_REGION=us-east-1"
  echo "export RGW_DIR=$dir"
}

# Stop one daemon by its pid file, if that pid really is the named program: TERM, then KILL after 10 s.
stop_daemon() { # stop_daemon DIR NAME COMM
  local file="$1/run/$2.pid" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$3" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  local dir="${RGW_DIR:-}"
  [ -n "$dir" ] && [[ "$dir" == /tmp/strongroom-rgw.* ]] && [ -d "$dir" ] || return 0
  # Gateway and OSD first (they would otherwise wait for the monitor), then the monitor.
  stop_daemon "$dir" client.rgw.s3 radosgw
  stop_daemon "$dir" osd.0 ceph-osd
  stop_daemon "$dir" mon.a ceph-mon
  rm -rf "$dir"
  log "Ceph RGW stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
