//! The Spark job on a real cluster on this machine: a standalone master and two one-core workers on
//! 127.0.0.1, `deploy/spark/arkiv_spark.py` submitted over the fixtures and the test PDFs, and one
//! worker killed (with its executor) while the job runs. Spark must retry the lost tasks, and the
//! records, their ids and the top hits over the shards must equal those of `arkiv ingest` on the
//! same files.
//!
//! Needs Java 17 and pyspark (`.ci/run` installs both); skipped without them unless
//! `ARKIV_REQUIRE_SPARK` is set. Every process started is stopped at the end, and the job is bounded
//! in time.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use common::{arkiv, data, fixtures_with, ranked_hits, root, stderr, stdout};

/// The longest the job may take before the test fails.
const JOB_LIMIT: Duration = Duration::from_secs(600);

fn spark_home() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("SPARK_HOME") {
        return Some(PathBuf::from(home));
    }
    let out = Command::new("python3")
        .args(["-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))"])
        .output()
        .ok()?;
    let home = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    (out.status.success() && home.join("bin/spark-submit").is_file()).then_some(home)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A process group killed when dropped: a Spark daemon and the JVMs it starts.
struct Daemon(Child);

impl Daemon {
    fn start(command: &mut Command) -> Daemon {
        Daemon(command.process_group(0).spawn().expect("start a Spark process"))
    }

    fn kill(&mut self) {
        let group = self.0.id() as i32;
        // SIGKILL to the whole group: the worker and the executor it launched.
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{group}")]).status();
        let _ = self.0.wait();
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The master's JSON status page.
fn master_status(port: u16) -> Option<Value> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET /json/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    serde_json::from_str(text.split_once("\r\n\r\n")?.1).ok()
}

fn wait_for(what: &str, limit: Duration, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < limit, "{what}: not ready after {limit:?}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Record ids and paths of an export, in its order (by path, then each document's own order).
fn ids(export: &str) -> Vec<(String, String)> {
    export
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON record");
            (
                v["id"].as_str().unwrap_or_default().into(),
                v["source"]["path"].as_str().unwrap_or_default().into(),
            )
        })
        .collect()
}

fn index_args<'a>(args: &[&'a str], indexes: &'a [String]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    for index in indexes {
        all.extend(["--index", index.as_str()]);
    }
    all
}

#[test]
fn the_spark_job_on_a_two_worker_cluster_survives_a_killed_worker() {
    let Some(home) = spark_home() else {
        assert!(
            std::env::var_os("ARKIV_REQUIRE_SPARK").is_none(),
            "ARKIV_REQUIRE_SPARK is set, and no Spark"
        );
        eprintln!("skipped: no pyspark or SPARK_HOME");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut extra: Vec<PathBuf> = Vec::new();
    for producer in ["chromium", "latex", "reportlab"] {
        for file in std::fs::read_dir(data(&format!("pdf/{producer}"))).expect("test PDFs").flatten() {
            let renamed = dir.path().join(format!("{producer}-{}", file.file_name().to_string_lossy()));
            std::fs::copy(file.path(), &renamed).expect("copy");
            extra.push(renamed);
        }
    }
    extra.push(data("follow/pdf/resultatrapport-2019.pdf"));
    let bad = dir.path().join("trasig.pdf");
    std::fs::write(&bad, b"%PDF-1.4\nnothing more").expect("write");
    extra.push(bad);
    let refs: Vec<&Path> = extra.iter().map(PathBuf::as_path).collect();
    let docs = fixtures_with(dir.path(), &refs).canonicalize().expect("canonical");
    let files = std::fs::read_dir(&docs).expect("docs").count();

    // The cluster: a master and two workers of one core each, all on 127.0.0.1.
    let (port, ui) = (free_port(), free_port());
    let env = |command: &mut Command| {
        command
            .env("SPARK_HOME", &home)
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .env("SPARK_LOG_DIR", dir.path().join("logs"))
            .env("PYSPARK_PYTHON", "python3")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
    };
    let class = home.join("bin/spark-class");
    let mut master = Command::new(&class);
    master.args(["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port"]);
    master.arg(port.to_string()).args(["--webui-port", &ui.to_string()]);
    env(&mut master);
    let _master = Daemon::start(&mut master);
    wait_for("the master", Duration::from_secs(90), || master_status(ui).is_some());
    let url = format!("spark://127.0.0.1:{port}");
    let mut workers: Vec<Daemon> = (0..2)
        .map(|n| {
            let mut worker = Command::new(&class);
            worker.args(["org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1"]);
            worker.args(["--memory", "1g", "--webui-port", "0", "--work-dir"]);
            worker.arg(dir.path().join(format!("work-{n}"))).arg(&url);
            env(&mut worker);
            Daemon::start(&mut worker)
        })
        .collect();
    wait_for("two workers", Duration::from_secs(90), || {
        master_status(ui).is_some_and(|s| s["aliveworkers"].as_u64() == Some(2))
    });

    // The job, with one task per file so that it runs long enough to lose a worker in the middle.
    let output = dir.path().join("out");
    let mut submit = Command::new(home.join("bin/spark-submit"));
    submit
        .args(["--master", &url, "--conf", "spark.task.maxFailures=8", "--conf", "spark.ui.enabled=false"])
        .args(["--executor-memory", "768m", "--files", env!("CARGO_BIN_EXE_arkiv")])
        .arg(root().join("deploy/spark/arkiv_spark.py"))
        .arg(&docs)
        .arg(&output)
        .args(["--shards", "3", "--partitions", &files.to_string()])
        .env("SPARK_HOME", &home)
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("PYSPARK_PYTHON", "python3")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut job = Daemon::start(&mut submit);
    let (lines, log) = mpsc::channel::<String>();
    let err = job.0.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut out = String::new();
    let mut job_stdout = job.0.stdout.take().expect("stdout");
    let printer = std::thread::spawn(move || {
        let _ = job_stdout.read_to_string(&mut out);
        out
    });

    let started = Instant::now();
    let mut driver_log = Vec::new();
    let starting = regex::Regex::new(r"Starting task (\d+)\.0 in stage").expect("pattern");
    let mut killed = false;
    loop {
        match log.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                // Kill a worker once both are busy with a stage of many tasks (the parse stage: Spark's
                // own small jobs, such as sampling the paths, come before it).
                let task = starting.captures(&line).and_then(|c| c[1].parse::<usize>().ok());
                if task.is_some_and(|n| n >= 3) && !killed {
                    workers[1].kill();
                    killed = true;
                    driver_log.push(format!("TEST: worker 1 killed at: {line}"));
                }
                driver_log.push(line);
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        assert!(started.elapsed() < JOB_LIMIT, "the job took over {JOB_LIMIT:?}");
    }
    let status = job.0.wait().expect("the job ends");
    reader.join().expect("log reader");
    let summary = printer.join().expect("stdout reader");
    let log_text = driver_log.join("\n");
    let tail: String = driver_log.iter().rev().take(60).rev().cloned().collect::<Vec<_>>().join("\n");
    assert!(status.success(), "the job failed:\n{tail}");
    assert!(killed, "the job ended before a worker could be killed:\n{tail}");
    let retry = regex::Regex::new(r"Starting task \d+\.[1-9]\d* in stage").expect("pattern");
    let lost: Vec<&String> = driver_log
        .iter()
        .filter(|l| l.contains("Lost task") || l.contains("ExecutorLostFailure") || retry.is_match(l))
        .collect();
    let lost_executor = log_text.contains("Lost executor") || log_text.contains("lost executor");
    assert!(lost_executor, "Spark never noticed the killed worker:\n{tail}");
    assert!(!lost.is_empty(), "no task was lost with the killed worker (nothing to retry):\n{tail}");
    eprintln!("{summary}");
    for line in driver_log
        .iter()
        .filter(|l| l.contains("TEST:") || l.contains("Lost executor") || l.contains("Registered executor"))
    {
        eprintln!("{line}");
    }
    eprintln!("retried after the kill:\n{}", lost.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("\n"));

    // The same records, ids and provenance as ingest of the same files.
    let single = dir.path().join("single").to_string_lossy().into_owned();
    let ingested = arkiv(&["ingest", docs.to_str().expect("utf-8"), "--index", &single]);
    assert!(ingested.status.success() || ingested.status.code() == Some(1), "{}", stderr(&ingested));
    let shards: Vec<String> =
        (0..3).map(|k| output.join(format!("index-{k}")).to_string_lossy().into_owned()).collect();
    let single = vec![single];
    let export = |indexes: &[String]| {
        let out = arkiv(&index_args(&["export"], indexes));
        assert!(out.status.success(), "{}", stderr(&out));
        ids(&stdout(&out))
    };
    let expected = export(&single);
    assert!(expected.len() > 500, "{} records", expected.len());
    assert_eq!(export(&shards), expected, "the shards hold what ingest indexed");
    // The Parquet records, read back without parsing anything, are the same too.
    let from_parquet = dir.path().join("from-parquet").to_string_lossy().into_owned();
    let records = output.join("records");
    let loaded =
        arkiv(&["index", "--from-records", records.to_str().expect("utf-8"), "--index", &from_parquet]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    assert_eq!(export(&[from_parquet]), expected, "OUTPUT/records holds every record");
    let failures = std::fs::read_dir(output.join("failures"))
        .expect("failures")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("part-"))
        .map(|e| std::fs::read_to_string(e.path()).expect("read"))
        .collect::<String>();
    assert_eq!(failures.lines().count(), 1, "{failures}");
    assert!(failures.contains("trasig.pdf"), "{failures}");

    // A search over the shards gives the top hits of the one index.
    for query in ["jämställdhet", "våld i nära relationer", "Skolriksdagen", "kvinnofrid OR heder*"] {
        let hits = |indexes: &[String]| {
            let out = arkiv(&index_args(&["search", query, "--json", "--limit", "10"], indexes));
            ranked_hits(&stdout(&out), 10)
        };
        assert_eq!(hits(&shards), hits(&single), "top 10 of {query:?}");
    }
    drop(workers);
}
