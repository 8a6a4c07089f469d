#!/usr/bin/env bash
# Whole-process timings of `folio print` on the 5 MB post, against the baselines the
# renderer's targets name: pulldown-cmark parsing the same file (examples/pulldown_parse)
# and mdcat printing it in colour (when `mdcat` is on PATH). Needs hyperfine.
#
#   bash benches/print.sh            # uses /tmp/folio-bench-huge, as `cargo bench` does
#   FOLIO_BENCH_POST=file.md bash benches/print.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
post=${FOLIO_BENCH_POST:-${TMPDIR:-/tmp}/folio-bench-huge/huge/huge-post.md}
if [[ ! -f $post ]]; then
    ../shared/tools/gen-corpus -n 0 --huge "$(dirname "$(dirname "$post")")" >/dev/null
fi
cargo build --release --quiet --bin folio --example pulldown_parse

folio=target/release/folio
commands=(
    "target/release/examples/pulldown_parse $post"
    "$folio print --width 100 --color never $post"
    "$folio print --width 100 --color always $post"
)
if command -v mdcat >/dev/null; then
    commands+=("mdcat --ansi --columns 100 $post")
fi
# No user config: the figures are folio's defaults.
FOLIO_CONFIG_DIR=$(mktemp -d) hyperfine --warmup 2 --runs "${RUNS:-10}" -N "${commands[@]}"
