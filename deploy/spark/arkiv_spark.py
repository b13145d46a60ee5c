"""arkiv on Apache Spark: parse documents on the cluster's workers, write the records as Parquet, and
build index shards from them.

    spark-submit [--master URL] [--files target/release/arkiv] deploy/spark/arkiv_spark.py \
        INPUT OUTPUT [--shards N] [--partitions P] [--file-timeout S] [--arkiv PATH] [--index-dir DIR]

INPUT is any Hadoop filesystem path (a folder, read recursively, or a glob); the .pdf, .html, .htm,
.txt and .md files under it are read. Each task runs `arkiv parse --batch --format arrow` over its
share of the files, sent as base64 content with the file's path as name, so the workers need no
access to INPUT of their own; arkiv answers with Arrow batches of the records' columns, which go on to
the JVM as they are (mapInArrow: the workers' Python needs pyarrow and pandas, `pip install
'pyspark[sql]'`). The job writes:

- OUTPUT/records/: every record as Parquet, partitioned by year and doc_type, with the columns
  id, kind, doc_id, seq (the record's place in its document), shard, path (the file it was read
  from), and record (the record's JSON,
  exactly as `arkiv parse --json` prints it: what `arkiv index --from-records` reads);
- OUTPUT/failures/: one JSON line per file arkiv could not read ({"kind": "failure", "file", "reason"});
- N index shards, INDEX_DIR/index-0 … INDEX_DIR/index-(N-1) (INDEX_DIR is OUTPUT unless --index-dir
  names another), built in parallel, one task each, with `arkiv index --from-records --shard K/N`.
  A document's shard is int(doc_id[4:], 16) % N, the rule `arkiv index --shard` applies. Shards are
  tantivy folders on a filesystem: INDEX_DIR must be a local or mounted path the workers can write
  (with an hdfs:// or s3a:// OUTPUT, give --index-dir).

The arkiv binary is the one shipped with `--files` (found through SparkFiles), else --arkiv, else
`arkiv` on the workers' PATH. A task that fails (a worker lost, arkiv killed) is retried by Spark;
records depend only on the files' bytes, so a retry or a re-run gives the same records and ids. Each
shard is built in a fresh folder and renamed into place, so a retried shard task never sees a
half-built index. Nothing here parses a document itself.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid

from pyspark import AccumulatorParam, SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

FORMATS = (".pdf", ".html", ".htm", ".txt", ".md")

# The rows of `arkiv parse --batch --format arrow` (failures are taken out before Spark sees them).
RECORD_SCHEMA = (
    "kind string, id string, doc_id string, seq int, path string, year int, doc_type string, record string"
)


class ListParam(AccumulatorParam):
    """An accumulator of lists (the failure lines)."""

    def zero(self, value):
        return []

    def addInPlace(self, a, b):
        a.extend(b)
        return a


def arkiv_binary(given):
    if given:
        return given
    try:
        shipped = SparkFiles.get("arkiv")
        if os.path.isfile(shipped):
            os.chmod(shipped, 0o755)
            return shipped
    except Exception:  # noqa: BLE001 - no SparkContext files: fall back to PATH
        pass
    return "arkiv"


def local_name(path):
    """A file: URI as the local path arkiv ingest would record; other URIs as they are."""
    return path[len("file:"):] if path.startswith("file:") else path


def parse_partition(batches, binary, file_timeout, task_cpus, failed):
    """Run one `arkiv parse --batch --format arrow` over a task's files (Arrow batches of path and
    content); yield its record batches as arkiv writes them, and add the failure lines to `failed`.
    A non-zero exit fails the task, which Spark then retries."""
    import pyarrow as pa
    import pyarrow.compute as pc

    command = [binary, "parse", "--batch", "--format", "arrow", "--file-timeout", str(file_timeout)]
    # arkiv parses a batch's files in parallel; on a worker it gets the cores of its task, not the machine's.
    env = dict(os.environ, RAYON_NUM_THREADS=str(task_cpus))
    proc = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    feed_error = []

    def feed():
        try:
            for batch in batches:
                paths = batch.column("path").to_pylist()
                for path, content in zip(paths, batch.column("content").to_pylist()):
                    name = json.dumps(local_name(path)).encode("utf-8")
                    proc.stdin.write(b'{"content":"' + base64.b64encode(content) + b'","name":' + name + b"}\n")
            proc.stdin.close()
        except Exception as e:  # noqa: BLE001 - reported after the process ends
            feed_error.append(e)
            proc.kill()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    errors = []
    drain = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)
    drain.start()

    def fail(code, why=""):
        stderr = (errors[0] if errors else b"").decode("utf-8", "replace")
        return RuntimeError(f"arkiv parse --batch exited with {code}: {feed_error or ''} {why} {stderr[-2000:]}")

    # Python neither decodes a record nor copies one: arkiv's batches go on to the JVM as they are.
    try:
        for batch in pa.ipc.open_stream(proc.stdout):
            is_failure = pc.equal(batch.column("kind"), "failure")
            if pc.any(is_failure).as_py():
                failed.add(batch.filter(is_failure).column("record").to_pylist())
                batch = batch.filter(pc.invert(is_failure))
            if batch.num_rows:
                yield batch
    except pa.ArrowInvalid as e:
        proc.kill()
        proc.wait()
        drain.join()
        raise fail(proc.returncode, f"(its output is not an Arrow stream: {e})") from e
    code = proc.wait()
    feeder.join()
    drain.join()
    # 2: every input answered, some with an internal error (arkiv's bug, in the failure lines).
    if feed_error or code not in (0, 2):
        raise fail(code)


def run_index(binary, shard, shards, index_dir, sources):
    """`arkiv index --from-records` for one shard into a fresh folder, then moved into place: a
    retried task never leaves a half-built shard behind."""
    final = os.path.join(index_dir, f"index-{shard}")
    building = os.path.join(index_dir, f".index-{shard}.{uuid.uuid4().hex}")
    command = [binary, "index", "--index", building, "--shard", f"{shard}/{shards}"]
    for source in sources:
        command += ["--from-records", source]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(building, ignore_errors=True)
        raise RuntimeError(f"arkiv index for shard {shard} exited with {done.returncode}: {done.stderr[-2000:]}")
    shutil.rmtree(final, ignore_errors=True)
    os.rename(building, final)
    return done.stdout.strip()


def build_shard_from_records(shard, binary, shards, index_dir, records_dir, failures):
    """One shard's index, read by arkiv straight from OUTPUT/records (a local or mounted folder):
    arkiv skips the other shards' records by their leading ids, without decoding them."""
    scratch = tempfile.mkdtemp(prefix=f"arkiv-shard-{shard}-")
    try:
        path = os.path.join(scratch, "failures.jsonl")
        with open(path, "w", encoding="utf-8") as out:
            for line in failures:
                out.write(line + "\n")
        return [(shard, None, run_index(binary, shard, shards, index_dir, [records_dir, path]))]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def build_shard(shard, rows, binary, shards, index_dir, failures):
    """Write one shard's records (in document order) and the failures to a scratch file, and build
    the shard's index from it in a fresh folder, then move it into place."""
    # By document, the same content's files in path order (the first path is the one its records
    # name, as in ingest), each file's records in their order.
    records = sorted(rows, key=lambda r: (r[0], r[1], r[2]))
    scratch = tempfile.mkdtemp(prefix=f"arkiv-shard-{shard}-")
    try:
        path = os.path.join(scratch, "records.jsonl")
        with open(path, "w", encoding="utf-8") as out:
            for _, _, _, record in records:
                out.write(record + "\n")
            for line in failures:
                out.write(line + "\n")
        return [(shard, len(records), run_index(binary, shard, shards, index_dir, [path]))]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--shards", type=int, default=1)
    parser.add_argument(
        "--partitions", type=int, default=0, help="parse tasks (default: packed by size, ~1,000 small files a task)"
    )
    parser.add_argument("--file-timeout", type=int, default=60)
    parser.add_argument("--arkiv", default=None, help="the arkiv binary on the workers")
    parser.add_argument("--index-dir", default=None, help="where the shards go (default: OUTPUT)")
    args = parser.parse_args(argv)
    if args.shards < 1:
        parser.error("--shards must be at least 1")

    spark = (
        SparkSession.builder.appName("arkiv")
        # Files are packed into tasks by size: a file "costs" 1 MB on top of its bytes, and a task
        # holds up to 1 GB, so about 1,000 documents of tens of kilobytes (Spark still makes at least
        # one task per core). Small tasks cost more than they save: each starts an arkiv process and
        # writes a Parquet file into every year and type folder its documents have (at 128 documents
        # a task, the files' opening and committing took as long as the parsing). A lost task is
        # still only seconds of work to redo.
        .config("spark.sql.files.openCostInBytes", str(1 << 20))
        .config("spark.sql.files.maxPartitionBytes", str(1 << 30))
        # Files reach a task's Python in Arrow batches of this many: a batch is held in memory whole.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "16")
        .getOrCreate()
    )
    sc = spark.sparkContext
    output = args.output.rstrip("/")
    index_dir = local_name(args.index_dir or output)
    if "://" in index_dir:
        parser.error(f"index shards need a local or mounted folder: give --index-dir (OUTPUT is {output})")

    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(args.input)
        .select("path", "content")
    )
    files = files.filter(
        " OR ".join(f"lower(path) LIKE '%{ext}'" for ext in FORMATS)
    )
    # Spark packs the files into tasks by size (set above); --partitions redistributes them instead.
    # Which task reads a file changes no record: records depend on the bytes alone.
    if args.partitions:
        files = files.repartition(args.partitions, "path")

    binary_arg, timeout, shards = args.arkiv, args.file_timeout, args.shards
    task_cpus = sc.getConf().get("spark.task.cpus", "1")
    # Failures come back through an accumulator, in the one pass that writes the records (a retried
    # task may report a file twice: they are told apart by file below).
    failed = sc.accumulator([], ListParam())

    def parse(batches):
        return parse_partition(batches, arkiv_binary(binary_arg), timeout, task_cpus, failed)

    parsed = files.mapInArrow(parse, RECORD_SCHEMA)
    # The shard rule of `arkiv index --shard`, in SQL: the 64-bit number after "doc-", modulo N.
    shard = F.expr(f"pmod(cast(conv(substring(doc_id, 5), 16, 10) as decimal(20, 0)), {shards})").cast("int")
    records = parsed.select("id", "kind", "doc_id", "seq", shard.alias("shard"), "year", "doc_type", "path", "record")
    # Each document's records in their order in every file (the writer's own sort by partition is a
    # prefix of this one, so Spark does not sort again): their order is the document's.
    records = records.sortWithinPartitions("year", "doc_type", "doc_id", "path", "seq")
    # No dictionary for the columns unique to each row: it would only be built and thrown away.
    writer = records.write.mode("overwrite").partitionBy("year", "doc_type")
    for column in ("id", "record"):
        writer = writer.option(f"parquet.enable.dictionary#{column}", "false")
    writer.parquet(f"{output}/records")
    failures = sorted({json.loads(line)["file"]: line for line in failed.value}.values())
    spark.createDataFrame([(f,) for f in failures], "value string").write.mode("overwrite").text(
        f"{output}/failures"
    )

    # The shards, one task each, from the records just written (not parsed again).
    os.makedirs(index_dir, exist_ok=True)
    shared_failures = sc.broadcast(failures)
    records_dir = local_name(f"{output}/records")
    if "://" not in records_dir:
        # The records are on a filesystem the workers see: arkiv reads them itself.
        built = (
            sc.parallelize(range(shards), shards)
            .mapPartitionsWithIndex(
                lambda k, _: build_shard_from_records(
                    k, arkiv_binary(binary_arg), shards, index_dir, records_dir, shared_failures.value
                )
            )
            .collect()
        )
        report(built, failures, shards, index_dir)
        spark.stop()
        return
    # Elsewhere (hdfs://, s3a://): the records travel to the shard tasks through Spark.
    written = spark.read.parquet(f"{output}/records")
    by_shard = written.select("shard", "doc_id", "path", "seq", "record").rdd.map(
        lambda r: (r.shard, (r.doc_id, r.path, r.seq, r.record))
    )
    # Every shard gets a task, even one without documents (an empty index still opens).
    empty = sc.parallelize([(k, None) for k in range(shards)], shards)
    grouped = by_shard.union(empty).partitionBy(shards, lambda k: k)
    built = grouped.mapPartitionsWithIndex(
        lambda k, rows: build_shard(
            k,
            (row for _, row in rows if row is not None),
            arkiv_binary(binary_arg),
            shards,
            index_dir,
            shared_failures.value,
        )
    ).collect()

    report(built, failures, shards, index_dir)
    spark.stop()


def report(built, failures, shards, index_dir):
    print(f"arkiv_spark: {len(failures)} failures, {shards} shards in {index_dir}")
    for shard, _, summary in sorted(built):
        print(f"arkiv_spark: shard {shard}: {summary}")


if __name__ == "__main__":
    main(sys.argv[1:])
