#!/usr/bin/env bash
# `folio check` on a collection against parsing the same posts (examples/parse_all:
# read, decode, front matter, Markdown, on all cores), whole processes, in one
# hyperfine run; the target is a ratio of at most 2. Needs hyperfine.
#
#   bash benches/check.sh                 # 10,000 generated posts in /tmp/folio-bench-10k
#   FOLIO_BENCH_DIR=content bash benches/check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
dir=${FOLIO_BENCH_DIR:-${TMPDIR:-/tmp}/folio-bench-10k}
if [[ ! -d $dir ]]; then
    ../shared/tools/gen-corpus -n 10000 --seed 1 "$dir" >/dev/null
fi
cargo build --release --quiet --bin folio --example parse_all
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# No user config; the check's exit status (1 when it finds errors) is not a failure here.
FOLIO_CONFIG_DIR="$work" hyperfine --warmup 1 --runs "${RUNS:-5}" -N -i \
    --export-json "$work/h.json" \
    "target/release/examples/parse_all $dir" \
    "target/release/folio check --color never $dir"
python3 - "$work/h.json" <<'PY'
import json, sys
parse, check = (r["mean"] for r in json.load(open(sys.argv[1]))["results"])
print(f"folio check / parse all: {check / parse:.2f} ({check * 1000:.0f} / {parse * 1000:.0f} ms; target ≤ 2)")
PY
