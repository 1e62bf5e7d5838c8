#!/bin/sh
# find-vs-fzf.sh: `b24org find 1042` with a warm cache against
# `fzf --filter 1042` over the same people, one line each, measured by
# hyperfine in one run (the figure of BENCHMARKS.md).
#
# It builds b24org, lets bench/cmd/warmcache load a generated org from the
# fake portal (which writes the cache, as `b24org export` does) and write the
# lines for fzf, then stops the portal: find can only answer from the cache.
# Both commands run under hyperfine's shell (fzf reads stdin; hyperfine
# subtracts the shell's own start-up from both).
#
#   bench/find-vs-fzf.sh                 30,000 people in 1,500 departments
#   PEOPLE=100000 RUNS=20 bench/find-vs-fzf.sh
#
# Needs go, hyperfine and fzf (Debian: apt-get install hyperfine fzf).
set -eu
cd "$(dirname "$0")/.."
people=${PEOPLE:-30000}
departments=${DEPARTMENTS:-1500}
runs=${RUNS:-50}
query=${QUERY:-1042}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/b24org" .
url=$(go run ./bench/cmd/warmcache -people "$people" -departments "$departments" \
	-cache-dir "$work/cache" -lines "$work/people.txt")
find="$work/b24org --cache-dir $work/cache --webhook $url find $query"

# The portal is stopped: this fails unless find answers from the cache.
$find >/dev/null
echo "$(wc -l <"$work/people.txt") lines for fzf; find prints $($find | tail -n +2 | wc -l) people"

hyperfine --warmup 3 --runs "$runs" \
	"$find >/dev/null" \
	"fzf --filter $query < $work/people.txt >/dev/null"
