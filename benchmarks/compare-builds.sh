#!/bin/bash
# Two assembled runtimes side by side, interleaved: clean-cache and warm start (the ready line's
# own figure) and the CPU an idle runtime uses in 30 s (the clock ticking, nothing else).
#   benchmarks/compare-builds.sh OLD_DIST NEW_DIST [rounds]
# A dist is a runtime/target/infinitemap folder, e.g. of a git worktree of the older commit
# built with mvn -B -q package -DskipTests. MANIFESTS=10000 puts that many one-cell manifests
# into deploy/ before the starts (the ready line then waits for all of them).
set -u
old=$1 new=$2 rounds=${3:-7}
manifests=${MANIFESTS:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=${INFINITEMAP_HTTP_PORT:-18190}

# Starts the runtime in $1; sets $pid, and $ready to the seconds its ready line reports.
launch() {
  INFINITEMAP_HTTP_PORT=$port INFINITEMAP_ADMIN_PASSWORD=benchmark "$1/bin/infinitemap" > "$1.out" 2>&1 < /dev/null &
  pid=$!
  for _ in $(seq 1 240); do grep -q "ready in" "$1.out" && break; sleep 0.25; done
  ready=$(grep -o "ready in [0-9.]* s" "$1.out" | awk '{print $3}')
}

stop() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

cpu_ticks() {
  local java
  java=$(pgrep -P "$pid" java || echo "$pid")
  awk '{print $14 + $15}' "/proc/$java/stat"
}

measure() {
  local name=$1 dir=$work/$1
  rm -rf "$dir" && cp -r "$2" "$dir" && rm -rf "$dir/data"
  for ((f = 0; f < manifests; f++)); do
    printf '{"%d,33000":{"brick":"m.png","timestamp":1}}' "$f" > "$dir/deploy/many-$f.manifest.json"
  done
  local cold warm before after
  launch "$dir"; cold=$ready; stop
  launch "$dir"; warm=$ready
  sleep 10 # past the start's compilation
  before=$(cpu_ticks); sleep 30; after=$(cpu_ticks)
  stop
  echo "$name cold $cold warm $warm idle-cpu-ms $(( (after - before) * 10 )) load $(cut -d' ' -f1 /proc/loadavg)"
}

for round in $(seq 1 "$rounds"); do
  measure old "$old"
  measure new "$new"
done
