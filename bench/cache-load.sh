#!/bin/sh
# cache-load.sh: the cache load at start-up and the memory it takes, each in a
# process of its own (BENCHMARKS.md): bench/cmd/warmcache writes the cache of
# a generated org of 30,000 and of 100,000 people, and bench/cmd/loadcache
# loads it as the browser does, searches once, sorts every department's
# people, and prints the load time and the resident set. RUNS runs of each.
#
#   bench/cache-load.sh
#
# Needs go.
set -eu
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/loadcache" ./bench/cmd/loadcache
for people in 30000 100000; do
	url=$(go run ./bench/cmd/warmcache -people "$people" -departments 1500 -cache-dir "$work/c$people")
	echo "cache of $people people: $(du -k "$work/c$people" | cut -f1) KiB"
	i=0
	while [ "$i" -lt "$runs" ]; do
		"$work/loadcache" -cache-dir "$work/c$people" -webhook "$url" 2>/dev/null
		i=$((i + 1))
	done
done
