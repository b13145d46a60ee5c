#!/usr/bin/env bash
# Benchmark (not a test): the generated corpus through `arkiv ingest` and through the Spark job on a
# local standalone cluster of two one-core workers, on the same machine in the same run; then search
# latency (p50/p99 per query class) on the one index and on the job's shards read as one.
#
#   deploy/spark/bench.sh [DOCS] [WORK]        (default 10000 documents, a temporary folder)
#
# Needs a release build (cargo build --release), Java 17 and pyspark. Prints each tool's own table and
# a summary line with documents per second and the job's overhead over ingest.
set -euo pipefail
cd "$(dirname "$0")/../.."

DOCS=${1:-10000}
WORK=${2:-$(mktemp -d /tmp/arkiv-spark-bench.XXXXXX)}
ARKIV=${ARKIV:-$PWD/target/release/arkiv}
SHARDS=${SHARDS:-2}
SPARK_HOME=${SPARK_HOME:-$(python3 -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')}
export SPARK_HOME SPARK_LOCAL_IP=127.0.0.1 SPARK_LOG_DIR="$WORK/spark-logs" PYSPARK_PYTHON=python3
mkdir -p "$WORK"

echo "== arkiv ingest of $DOCS generated documents ($WORK)"
"$ARKIV" bench ingest --docs "$DOCS" --keep "$WORK" | tee "$WORK/ingest.txt"

echo "== a standalone master and two one-core workers on 127.0.0.1"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ui=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
setsid "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
    --port "$port" --webui-port "$ui" >"$WORK/master.log" 2>&1 &
pids+=($!)
until curl -fs "http://127.0.0.1:$ui/json/" >/dev/null 2>&1; do sleep 0.5; done
for n in 0 1; do
    setsid "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
        --cores 1 --memory 2g --webui-port 0 --work-dir "$WORK/work-$n" "spark://127.0.0.1:$port" \
        >"$WORK/worker-$n.log" 2>&1 &
    pids+=($!)
done
until curl -fs "http://127.0.0.1:$ui/json/" | grep -q '"aliveworkers" *: *2'; do sleep 0.5; done

echo "== the Spark job over the same corpus, $SHARDS shards"
rm -rf "$WORK/spark"
start=$(date +%s.%N)
"$SPARK_HOME/bin/spark-submit" --master "spark://127.0.0.1:$port" --executor-memory 1500m \
    --conf spark.ui.enabled=false --files "$ARKIV" deploy/spark/arkiv_spark.py \
    "$WORK/corpus" "$WORK/spark" --shards "$SHARDS" 2>"$WORK/driver.log" | tee "$WORK/job.txt"
end=$(date +%s.%N)
cleanup
pids=()

echo "== search on the one index"
# The server's request log goes to a file; the table to the terminal.
"$ARKIV" bench search --index "$WORK/index" --seconds 5 2>"$WORK/search-one.log" | tee "$WORK/search-one.txt"
echo "== search on the $SHARDS shards read as one"
shard_args=()
for ((k = 0; k < SHARDS; k++)); do shard_args+=(--index "$WORK/spark/index-$k"); done
"$ARKIV" bench search "${shard_args[@]}" --seconds 5 2>"$WORK/search-shards.log" | tee "$WORK/search-shards.txt"

python3 - "$WORK" "$DOCS" "$start" "$end" <<'EOF'
import re, sys
work, docs, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
job = end - start
text = open(f"{work}/ingest.txt").read()
# `arkiv bench ingest`: "  documents/s   428" under the first ingest.
m = re.search(r"documents/s\s+([\d.]+)", text)
ingest_rate = float(m.group(1)) if m else float("nan")
job_rate = docs / job
print(f"summary: ingest {ingest_rate:.1f} docs/s; Spark job {job_rate:.1f} docs/s ({job:.1f} s wall, JVM start "
      f"included); overhead {(ingest_rate / job_rate - 1) * 100:.0f}% over ingest")
EOF
