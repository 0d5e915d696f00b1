#!/bin/bash
# Start-up side by side: the assembled runtime started from a fresh copy (clean framework
# cache) as is, without the Gogo shell, without the samples in deploy/, and with C1 only;
# prints the time each ready line reports. Run after mvn -B -q install -DskipTests:
#   benchmarks/startup-variants.sh [rounds]
set -eu
dist=$(cd "$(dirname "$0")/.." && pwd)/runtime/target/infinitemap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=${INFINITEMAP_HTTP_PORT:-18190}

start() {
  local variant=$1 dir=$work/$1
  rm -rf "$dir" && cp -r "$dist" "$dir"
  local opts=""
  case $variant in
    without-shell) sed -i '/gogo\|dev.infinitemap.shell/d' "$dir/conf/bundles.list" ;;
    without-samples) rm -f "$dir"/deploy/*.jar "$dir"/deploy/*.cfg "$dir"/deploy/*.json ;;
    c1-only) opts="-XX:TieredStopAtLevel=1" ;;
  esac
  INFINITEMAP_JAVA_OPTS="$opts" INFINITEMAP_HTTP_PORT=$port INFINITEMAP_ADMIN_PASSWORD=benchmark \
    "$dir/bin/infinitemap" > "$dir.out" 2>&1 < /dev/null &
  local pid=$!
  for _ in $(seq 1 240); do grep -q "ready in" "$dir.out" && break; sleep 0.25; done
  grep -o "ready in [0-9.]* s" "$dir.out" | awk '{print $3}'
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for round in $(seq 1 "${1:-5}"); do
  for variant in default without-shell without-samples c1-only; do
    echo "$variant $(start $variant)"
  done
  echo "round $round done" >&2
done | sort | awk '{a[$1] = a[$1] " " $2} END {for (k in a) print k ":" a[k]}'
