#!/bin/bash
# The long power-cut run of docs/reliability.md: 5,100 QEMU power cuts in four
# seeded shards, two at a time (one per core), at low priority:
#   byte cuts from a zeroed, an erased and a random chip (1,000 each), and
#   64-byte cuts over the three starting states in turn (2,100).
# Each shard writes its figures to build/powercut-long/<shard>.json and its
# log beside it, and keeps a failing image in build/powercut-long/<shard>-fail/.
# Exit status 0 if every shard held every invariant.
#   tools/powercut_long.sh            # all four shards
#   SCALE=10 tools/powercut_long.sh   # a tenth of the cuts, same seeds
#   SHARDS="byte-zero byte-random" OUT=build/pc2 tools/powercut_long.sh
set -u
cd "$(dirname "$0")/.."
out=${OUT:-build/powercut-long}
shards=${SHARDS:-byte-zero byte-erased byte-random chunk-all}
mkdir -p "$out"
scale=${SCALE:-1}
pc="nice -n 10 /usr/bin/python3 tools/powercut.py"

shard() { # name, then powercut.py arguments
    local name=$1
    shift
    case " $shards " in *" $name "*) ;; *) return 0 ;; esac
    $pc "$@" --json "$out/$name.json" --keep "$out/$name-fail" >"$out/$name.log" 2>&1
    local rc=$?
    echo "$name: $(tail -n 1 "$out/$name.log")"
    return $rc
}

start=$(date +%s)
(
    shard byte-zero --byte-cuts --start zero --cuts $((1000 / scale)) --seed 101 \
        --cuts-per-run 25 --fresh-every 1 &&
    shard byte-random --byte-cuts --start random --cuts $((1000 / scale)) --seed 103 \
        --cuts-per-run 25 --fresh-every 1
) &
q1=$!
(
    shard byte-erased --byte-cuts --start erased --cuts $((1000 / scale)) --seed 102 \
        --cuts-per-run 25 --fresh-every 1 &&
    shard chunk-all --start all --cuts $((2100 / scale)) --seed 104 \
        --cuts-per-run 10 --fresh-every 2
) &
q2=$!
rc=0
wait $q1 || rc=1
wait $q2 || rc=1
echo "powercut_long: $(($(date +%s) - start)) s of wall time, status $rc"
exit $rc
