//! `arkiv bench search`: how fast searches answer on an archive of 100,000 records and more.
//!
//! One run builds an index of generated documents ([`super::generate`], the corpus of `bench ingest`)
//! or reuses one, times each kind of query staff type through the library ([`Index::search_sorted`]
//! with 20 hits and their snippets, as the page shows, and [`Index::counts`] for the hits per year),
//! then starts the web server ([`Server`]) on a loopback port and sends it `/api/search` requests at
//! a fixed rate from an open-loop load generator: each request has its own send time on a fixed
//! schedule, whatever the answers before it did, and its latency counts from that time, so time spent
//! queueing counts. The client reuses a connection while the server keeps it open and connects again
//! when it closes, so it measures a server with or without keep-alive alike.
//!
//! It reports figures (p50, p99 and the largest latency per query class, the server's achieved rate,
//! latencies and errors, indexing speed and index size) beside the targets, and never asserts them.
//! It writes only inside its own work folder (a new temporary one, or `--keep DIR`); an index given
//! with `--index DIR` is only read. It never talks to any address but the loopback one it bound.
//! The server it starts has no way to stop, so it serves on a background thread until the process
//! ends: call [`run`] from a process that ends after it, such as the `arkiv` command.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::index::{Filter, Index, Sort};
use crate::ingest;
use crate::serve::params::encode;
use crate::serve::Server;

use super::generate;

/// Generated documents indexed by default. A generated document makes 87 records on average (870,975
/// for 10,000 documents), so 1,500 make about 130,000: over the 100,000 the targets are set for.
pub const DEFAULT_DOCS: usize = 1500;
/// Hits asked for per query: what the page shows.
pub const HITS: usize = 20;
/// Targets: p99 per query class through the library, and the server's p99 at the request rate.
pub const QUERY_P99_TARGET: Duration = Duration::from_millis(20);
pub const SERVER_P99_TARGET: Duration = Duration::from_millis(100);
/// Longest wait for a connection, a write or a read of one response; a request slower than this is
/// an error, which bounds the load run in time.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Requests sent one after another before the load starts, so the server's first answers (cold
/// caches, threads starting) do not count.
const SERVER_WARMUP: usize = 20;
/// The largest response read; an API answer of 20 hits is some tens of KiB.
const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// A request sent this long after its due time was held up by the client threads, not by sleep's
/// precision.
pub const LATE: Duration = Duration::from_millis(2);

/// What to measure, and how much.
#[derive(Debug, Clone)]
pub struct Options {
    /// Documents to generate when the index is built.
    pub docs: usize,
    /// Timed queries per class (at least 1), after `warmup` untimed ones.
    pub queries: usize,
    pub warmup: usize,
    /// Requests per second sent to the server (at least 1), for `duration`.
    pub rate: u32,
    pub duration: Duration,
    /// Client threads of the load generator (at least 1), each with its own connection.
    pub clients: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            docs: DEFAULT_DOCS,
            queries: 300,
            warmup: 30,
            rate: 200,
            duration: Duration::from_secs(10),
            clients: 8,
        }
    }
}

/// Where the index comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A work folder: documents are generated into `corpus/` and indexed into `index/` when `index/`
    /// holds no index yet; an index already there (from an earlier run) is reused as it is.
    Work(PathBuf),
    /// An existing index, or several shards read as one; only read.
    Existing(Vec<PathBuf>),
}

/// How the index was built, when this run built it.
#[derive(Debug, Clone)]
pub struct Build {
    pub docs: usize,
    pub records: usize,
    pub failed: usize,
    /// The ingest: extraction, segmentation, indexing and commits (generating the files excluded).
    pub elapsed: Duration,
}

impl Build {
    pub fn records_per_second(&self) -> f64 {
        self.records as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Latencies of a series of requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Latency {
    pub count: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Latency {
    /// The summary of `samples` (in any order).
    pub fn of(mut samples: Vec<Duration>) -> Latency {
        samples.sort_unstable();
        Latency {
            count: samples.len(),
            p50: percentile(&samples, 50.0),
            p99: percentile(&samples, 99.0),
            max: samples.last().copied().unwrap_or_default(),
        }
    }
}

/// The `p`th percentile (0–100) of `sorted` by the nearest-rank method: the smallest sample that at
/// least `p` percent of the samples are at or below. Zero for no samples.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p.clamp(0.0, 100.0) / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// What one query class measured.
#[derive(Debug, Clone)]
pub struct ClassFigures {
    pub name: &'static str,
    /// A few of its queries, as typed.
    pub examples: String,
    pub latency: Latency,
    /// Hits returned per query on average (at most [`HITS`]); for by-year, years with matches.
    pub hits: f64,
    /// The fewest and most records one of its queries matches (counted apart, untimed).
    pub matching: (u64, u64),
    /// The query whose runs took longest at the median, and that median: with a few queries each run
    /// many times, the p99 of a class is mostly its slowest query.
    pub slowest: (String, Duration),
}

/// What the load run against the server measured.
#[derive(Debug, Clone)]
pub struct ServerFigures {
    pub rate: u32,
    pub duration: Duration,
    pub clients: usize,
    /// Requests on the schedule, and of them answered with 200 and a whole body.
    pub scheduled: usize,
    pub ok: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    /// Connections opened during the load (one per request when the server closes each).
    pub connections: usize,
    /// Requests sent more than [`LATE`] after their due time because every client thread was still
    /// waiting on an earlier answer: queueing on the client side, counted in their latency.
    pub late: usize,
    /// Answered requests per second, from the first scheduled send to the last answer.
    pub achieved: f64,
    /// From each request's scheduled send time to the end of its response, answered ones only.
    pub latency: Latency,
}

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Figures {
    pub cores: usize,
    /// The machine's load average over one minute before and after the run (`/proc/loadavg`).
    pub load_before: Option<f64>,
    pub load_after: Option<f64>,
    /// The index folders measured (several: shards read as one).
    pub index_dirs: Vec<PathBuf>,
    /// `None` when an existing index was reused.
    pub build: Option<Build>,
    pub records: u64,
    pub documents: u64,
    pub index_bytes: u64,
    pub classes: Vec<ClassFigures>,
    /// The load run, or why it could not run (the server could not start, or answered nothing).
    pub server: Result<ServerFigures, String>,
}

/// One kind of query and the queries that stand for it.
struct Class {
    name: &'static str,
    queries: Vec<(String, Filter)>,
    /// Counts per year ([`Index::counts`]) instead of hits.
    by_year: bool,
}

/// Words of the generated documents (see [`generate`]): topics, partners, events and places.
const WORDS: &[&str] = &[
    "jämställdhet",
    "kvinnofrid",
    "äldreomsorg",
    "konferenser",
    "socialstyrelsen",
    "kommunerna",
    "samverkan",
    "uppföljningen",
    "workshoppar",
    "seminarier",
    "länsstyrelserna",
    "deltagare",
    "rutiner",
    "Malmö",
    "förtroendevalda",
    "kunskapen",
    "våld",
    "webbinarier",
];
/// Two words that stand in the same records.
const PAIRS: &[&str] = &[
    "våld rutiner",
    "jämställdhet konferenser",
    "kvinnofrid socialstyrelsen",
    "äldreomsorg regionerna",
    "chefer förtroendevalda",
    "seminarier länsstyrelserna",
    "konferenser Göteborg",
    "deltagare Umeå",
    "workshoppar folkhälsomyndigheten",
    "samverkan idrott",
    "kunskapen jämställdhetens",
    "webbinarier våld",
];
const PHRASES: &[&str] = &[
    "\"nära relationer\"",
    "\"psykisk hälsa\"",
    "\"barns rättigheter\"",
    "\"hedersrelaterat våld\"",
    "\"digital välfärd\"",
    "\"goda exempel\"",
    "\"ekonomisk jämställdhet\"",
    "\"öka kunskapen\"",
    "\"regionala stödstrukturerna\"",
    "\"chefer och förtroendevalda\"",
    "\"särskilt ansvar\"",
    "\"jämställd vård\"",
];
/// Words the generated documents hold only inside compounds (*Jämställdhetsmyndigheten*,
/// *äldreomsorg*, *utbildningsdagar*, *nätverksträffar*, *medborgarservice*, *Socialdepartementet*).
const COMPOUND_PARTS: &[&str] =
    &["myndighet", "omsorg", "utbildning", "nätverk", "träffar", "service", "departementet", "styrelse"];
/// One letter off a word of five letters or more: dropped, doubled, changed or swapped.
const TYPOS: &[&str] = &[
    "jämstäldhet",
    "kvinofrid",
    "äldreomsorj",
    "konferensre",
    "socialstyrelsn",
    "workshopar",
    "semiarier",
    "länsstyrelsrna",
    "samvarkan",
    "uppföljnigen",
    "deltagrae",
    "webbinarrier",
];
const PREFIXES: &[&str] = &[
    "kvinno*",
    "jämställ*",
    "konfer*",
    "region*",
    "social*",
    "utbild*",
    "nätverk*",
    "folkhäls*",
    "äldre*",
    "semin*",
    "läns*",
    "work*",
];
/// The years of the generated documents.
const YEARS: std::ops::RangeInclusive<i32> = 2012..=2023;

fn classes() -> Vec<Class> {
    let plain = |list: &[&str]| -> Vec<(String, Filter)> {
        list.iter().map(|q| (q.to_string(), Filter::default())).collect()
    };
    // Each word with each year, alone or as the start of a three-year range, in an order that varies
    // both.
    let years: Vec<i32> = YEARS.collect();
    let year_filtered = (0..WORDS.len() * years.len())
        .map(|i| {
            let word = WORDS[i % WORDS.len()];
            let year = years[(i / WORDS.len() + i) % years.len()];
            let to = if i % 2 == 0 { year } else { year + 2 };
            (word.to_string(), Filter { years: Some((year, to)), ..Filter::default() })
        })
        .collect();
    let mut by_year = plain(WORDS);
    by_year.extend(plain(PHRASES));
    vec![
        Class { name: "single word", queries: plain(WORDS), by_year: false },
        Class { name: "two words (AND)", queries: plain(PAIRS), by_year: false },
        Class { name: "phrase", queries: plain(PHRASES), by_year: false },
        Class { name: "compound part", queries: plain(COMPOUND_PARTS), by_year: false },
        Class { name: "typo (one letter off)", queries: plain(TYPOS), by_year: false },
        Class { name: "prefix", queries: plain(PREFIXES), by_year: false },
        Class { name: "word + year filter", queries: year_filtered, by_year: false },
        Class { name: "by year (counts)", queries: by_year, by_year: true },
    ]
}

/// Build or reuse the index `source` names, time each query class, then the server, and return the
/// figures. The targets are reported, never enforced.
pub fn run(source: &Source, options: &Options) -> Result<Figures, Error> {
    let load_before = load_average();
    let (index_dirs, build) = match source {
        Source::Existing(dirs) => (dirs.clone(), None),
        Source::Work(dir) => {
            let index_dir = dir.join("index");
            let build = if index_dir.join("meta.json").is_file() {
                None
            } else {
                Some(build_index(dir, &index_dir, options.docs)?)
            };
            (vec![index_dir], build)
        }
    };
    let index = Index::open_shards(&index_dirs)?;
    let records = index.record_count()?;
    let documents = index.document_count()?;
    let index_bytes = index_dirs.iter().map(|dir| super::ingest::size_on_disk(dir)).sum();

    let mut figures = Vec::new();
    for class in classes() {
        figures.push(time_class(&index, &class, options)?);
    }

    // The server gets an index of its own: it takes it by value, and runs until the process ends.
    let server = Index::open_shards(&index_dirs)
        .map_err(|e| e.to_string())
        .and_then(|served| serve_and_load(served, options));

    Ok(Figures {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        load_before,
        load_after: load_average(),
        index_dirs,
        build,
        records,
        documents,
        index_bytes,
        classes: figures,
        server,
    })
}

/// The one-minute load average (Linux), to tell a busy machine's figures from an idle one's.
fn load_average() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Generate `docs` documents into `dir`/corpus and ingest them into `index_dir`.
fn build_index(dir: &Path, index_dir: &Path, docs: usize) -> Result<Build, Error> {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus)?;
    generate::write_corpus(&corpus, super::ingest::SEED, docs)?;
    let options = ingest::Options {
        index_dir: index_dir.to_path_buf(),
        extract: Default::default(),
        on_progress: Box::new(|_, _| {}),
        commit_every: ingest::COMMIT_EVERY,
    };
    let started = Instant::now();
    let report = ingest::ingest(std::slice::from_ref(&corpus), &options)?;
    let elapsed = started.elapsed();
    Ok(Build {
        docs,
        records: report.records_by_kind().values().sum(),
        failed: report.failures().count(),
        elapsed,
    })
}

/// Run `class`'s queries in turn: `options.warmup` untimed, then `options.queries` timed.
fn time_class(index: &Index, class: &Class, options: &Options) -> Result<ClassFigures, Error> {
    let one = |i: usize| -> Result<usize, Error> {
        let Some((query, filter)) = class.queries.get(i % class.queries.len().max(1)) else { return Ok(0) };
        if class.by_year {
            let counts = std::hint::black_box(index.counts(query, filter)?);
            let years: std::collections::BTreeSet<i32> = counts.by_year.keys().map(|(y, _)| *y).collect();
            Ok(years.len())
        } else {
            Ok(std::hint::black_box(index.search_sorted(query, filter, HITS, Sort::Relevance)?).len())
        }
    };
    for i in 0..options.warmup {
        one(i)?;
    }
    let runs = options.queries.max(1);
    let mut samples = Vec::with_capacity(runs);
    let mut by_query: Vec<Vec<Duration>> = vec![Vec::new(); class.queries.len()];
    let mut hits = 0usize;
    for i in 0..runs {
        let started = Instant::now();
        hits += one(options.warmup + i)?;
        let took = started.elapsed();
        samples.push(took);
        if let Some(q) = by_query.get_mut((options.warmup + i) % class.queries.len().max(1)) {
            q.push(took);
        }
    }
    let label = |(q, f): &(String, Filter)| match f.years {
        Some((a, b)) if a == b => format!("{q} [{a}]"),
        Some((a, b)) => format!("{q} [{a}–{b}]"),
        None => q.clone(),
    };
    let slowest = by_query
        .into_iter()
        .zip(&class.queries)
        .filter(|(runs, _)| !runs.is_empty())
        .map(|(runs, query)| (label(query), Latency::of(runs).p50))
        .max_by_key(|(_, p50)| *p50)
        .unwrap_or_default();
    let mut matching = (u64::MAX, 0);
    for (query, filter) in &class.queries {
        let n = index.counts(query, filter)?.total;
        matching = (matching.0.min(n), matching.1.max(n));
    }
    let examples: Vec<String> = class.queries.iter().take(2).map(label).collect();
    Ok(ClassFigures {
        name: class.name,
        examples: format!("{}, … ({} queries)", examples.join(", "), class.queries.len()),
        latency: Latency::of(samples),
        hits: hits as f64 / runs as f64,
        matching: if class.queries.is_empty() { (0, 0) } else { matching },
        slowest,
    })
}

/// The API paths the load sends, in turn: each class that lists hits in turn, and within a class
/// its queries in turn, 20 hits each (as a mix of people typing would).
fn api_paths() -> Vec<String> {
    let classes: Vec<Vec<String>> = classes()
        .into_iter()
        .filter(|c| !c.by_year)
        .map(|c| {
            c.queries
                .iter()
                .map(|(query, filter)| {
                    let mut path = format!("/api/search?q={}&limit={HITS}", encode(query));
                    if let Some((from, to)) = filter.years {
                        path.push_str(&format!("&from={from}&to={to}"));
                    }
                    path
                })
                .collect()
        })
        .collect();
    let rounds = classes.iter().map(Vec::len).max().unwrap_or(0);
    let mut paths = Vec::new();
    for round in 0..rounds {
        for class in &classes {
            if let Some(path) = class.get(round % class.len().max(1)) {
                paths.push(path.clone());
            }
        }
    }
    paths
}

/// Start the server on a loopback port on a background thread and measure it under load.
fn serve_and_load(index: Index, options: &Options) -> Result<ServerFigures, String> {
    let server = Server::bind(index, "127.0.0.1:0").map_err(|e| format!("cannot listen: {e}"))?;
    let addr = server.local_addr().map_err(|e| format!("cannot listen: {e}"))?;
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || server.run())
        .map_err(|e| format!("cannot start the server thread: {e}"))?;
    let paths = api_paths();
    let mut client = Client::new(addr);
    for path in paths.iter().cycle().take(SERVER_WARMUP) {
        client.get(path).map_err(|e| format!("the server does not answer: {e}"))?;
    }
    Ok(load(addr, &paths, options.rate.max(1), options.duration, options.clients.max(1)))
}

/// How many requests a run of `duration` at `rate` per second schedules.
pub fn requests_in(rate: u32, duration: Duration) -> usize {
    (f64::from(rate) * duration.as_secs_f64()).round() as usize
}

/// When request `i` of a run at `rate` per second is due, from the start of the run.
pub fn due(i: usize, rate: u32) -> Duration {
    let nanos = i as u128 * 1_000_000_000 / u128::from(rate.max(1));
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// What one client thread saw.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
    connections: usize,
    late: usize,
    last_done: Duration,
}

/// Send `rate` requests a second for `duration` to `addr`, the paths in turn, from `clients` threads
/// that take the next due request as they come free: open loop, latency from the due time.
fn load(addr: SocketAddr, paths: &[String], rate: u32, duration: Duration, clients: usize) -> ServerFigures {
    let scheduled = requests_in(rate, duration);
    let next = AtomicUsize::new(0);
    // A moment for the threads to start before the first request is due.
    let start = Instant::now() + Duration::from_millis(50);
    // Requests still unsent this long after the schedule ends are errors: the run ends in bounded time.
    let give_up = start + duration + IO_TIMEOUT;
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|_| {
                scope.spawn(|| {
                    let mut tally = Tally::default();
                    let mut client = Client::new(addr);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= scheduled {
                            break;
                        }
                        let at = start + due(i, rate);
                        match at.checked_duration_since(Instant::now()) {
                            Some(wait) => std::thread::sleep(wait),
                            None if Instant::now().saturating_duration_since(at) > LATE => tally.late += 1,
                            None => {}
                        }
                        let sent = if Instant::now() > give_up {
                            Err("not sent: the schedule ran late by more than the timeout".to_string())
                        } else {
                            match paths.get(i % paths.len().max(1)) {
                                Some(path) => client.get(path),
                                None => Err("no request to send".to_string()),
                            }
                        };
                        let done = Instant::now();
                        match sent {
                            Ok(()) => tally.latencies.push(done.saturating_duration_since(at)),
                            Err(e) => {
                                tally.errors += 1;
                                tally.first_error.get_or_insert(e);
                            }
                        }
                        tally.last_done = tally.last_done.max(done.saturating_duration_since(start));
                    }
                    tally.connections = client.connections;
                    tally
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    let mut latencies = Vec::with_capacity(scheduled);
    let (mut errors, mut connections, mut last_done, mut first_error) = (0, 0, Duration::ZERO, None);
    let mut late = 0;
    for t in tallies {
        late += t.late;
        latencies.extend(t.latencies);
        errors += t.errors;
        connections += t.connections;
        last_done = last_done.max(t.last_done);
        first_error = first_error.or(t.first_error);
    }
    let ok = latencies.len();
    // A client thread that died took its tally with it: what it did not report counts as failed.
    errors = errors.max(scheduled.saturating_sub(ok));
    ServerFigures {
        rate,
        duration,
        clients,
        scheduled,
        ok,
        errors,
        first_error,
        connections,
        late,
        achieved: ok as f64 / last_done.as_secs_f64().max(1e-9),
        latency: Latency::of(latencies),
    }
}

/// An HTTP/1.1 client on one connection at a time: kept while the server keeps it open.
struct Client {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    /// Connections opened so far.
    connections: usize,
    buf: Vec<u8>,
}

/// Why a response was not read.
enum Failed {
    /// The connection was closed or reset before any byte of the response: on a reused connection,
    /// the server closed it while idle, and the request is sent again on a new one.
    Stale(String),
    Other(String),
}

impl Client {
    fn new(addr: SocketAddr) -> Client {
        Client { addr, stream: None, connections: 0, buf: Vec::with_capacity(64 * 1024) }
    }

    /// GET `path` and read the whole response; an error unless it is a 200.
    fn get(&mut self, path: &str) -> Result<(), String> {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: keep-alive\r\nAccept: application/json\r\n\r\n",
            self.addr
        );
        loop {
            let reused = self.stream.is_some();
            let mut stream = match self.stream.take() {
                Some(stream) => stream,
                None => self.connect()?,
            };
            match self.exchange(&mut stream, request.as_bytes()) {
                Ok((status, close)) => {
                    if !close {
                        self.stream = Some(stream);
                    }
                    return if status == 200 { Ok(()) } else { Err(format!("HTTP status {status}")) };
                }
                Err(Failed::Stale(_)) if reused => continue,
                Err(Failed::Stale(e) | Failed::Other(e)) => return Err(e),
            }
        }
    }

    fn connect(&mut self) -> Result<TcpStream, String> {
        let stream =
            TcpStream::connect_timeout(&self.addr, IO_TIMEOUT).map_err(|e| format!("connect: {e}"))?;
        self.connections += 1;
        let set = stream
            .set_nodelay(true)
            .and_then(|()| stream.set_read_timeout(Some(IO_TIMEOUT)))
            .and_then(|()| stream.set_write_timeout(Some(IO_TIMEOUT)));
        set.map_err(|e| format!("socket options: {e}"))?;
        Ok(stream)
    }

    /// Send `request` and read its response whole: its status, and whether the server closes the
    /// connection after it.
    fn exchange(&mut self, stream: &mut TcpStream, request: &[u8]) -> Result<(u16, bool), Failed> {
        let stale = |e: std::io::Error| {
            use std::io::ErrorKind::*;
            match e.kind() {
                BrokenPipe | ConnectionReset | ConnectionAborted | UnexpectedEof => {
                    Failed::Stale(format!("connection closed: {e}"))
                }
                _ => Failed::Other(format!("i/o: {e}")),
            }
        };
        stream.write_all(request).map_err(stale)?;
        self.buf.clear();
        let mut chunk = [0u8; 16 * 1024];
        let mut head: Option<Head> = None;
        loop {
            let n = match stream.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) if self.buf.is_empty() => return Err(stale(e)),
                Err(e) => return Err(Failed::Other(format!("reading the response: {e}"))),
            };
            if n == 0 {
                return match &head {
                    _ if self.buf.is_empty() => Err(Failed::Stale("connection closed".into())),
                    Some(h) if h.framing == Framing::UntilClose => Ok((h.status, true)),
                    _ => Err(Failed::Other("the connection closed inside a response".into())),
                };
            }
            self.buf.extend_from_slice(&chunk[..n]);
            if self.buf.len() > MAX_RESPONSE_BYTES {
                return Err(Failed::Other("the response is too large".into()));
            }
            if head.is_none() {
                head = parse_head(&self.buf).map_err(Failed::Other)?;
            }
            let Some(h) = &head else { continue };
            let body = self.buf.get(h.len..).unwrap_or_default();
            let complete = match h.framing {
                Framing::Length(len) => body.len() >= len,
                Framing::Chunked => chunked_len(body).map_err(Failed::Other)?.is_some(),
                Framing::UntilClose => false,
            };
            if complete {
                return Ok((h.status, h.close));
            }
        }
    }
}

/// How a response's body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// After this many bytes.
    Length(usize),
    /// At its last, empty chunk.
    Chunked,
    /// When the server closes the connection.
    UntilClose,
}

/// A response head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Head {
    pub status: u16,
    /// Bytes of the head, its blank line included.
    pub len: usize,
    pub framing: Framing,
    /// The server closes the connection after this response.
    pub close: bool,
}

/// The head at the start of `buf`: `None` while it is incomplete, an error when it is not an HTTP/1
/// response head.
pub(crate) fn parse_head(buf: &[u8]) -> Result<Option<Head>, String> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return if buf.len() > 64 * 1024 { Err("the response head is too large".into()) } else { Ok(None) };
    };
    let text = std::str::from_utf8(&buf[..end]).map_err(|_| "the response head is not text".to_string())?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let (Some(version), Some(code)) = (parts.next(), parts.next()) else {
        return Err(format!("not a status line: {status_line:?}"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(format!("not an HTTP/1 response: {status_line:?}"));
    }
    let status: u16 = code.parse().map_err(|_| format!("not a status code: {code:?}"))?;
    // HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 closes it unless told otherwise.
    let mut close = version == "HTTP/1.0";
    let (mut length, mut chunked) = (None, false);
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_ascii_lowercase());
        match name.as_str() {
            "content-length" => {
                length = Some(value.parse::<usize>().map_err(|_| format!("bad Content-Length {value:?}"))?)
            }
            "transfer-encoding" => chunked = value.split(',').any(|v| v.trim() == "chunked"),
            "connection" => {
                for token in value.split(',').map(str::trim) {
                    match token {
                        "close" => close = true,
                        "keep-alive" => close = false,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    // No body at all for these, whatever the headers say (the client never sends HEAD).
    let bodiless = (100..200).contains(&status) || status == 204 || status == 304;
    let framing = match (bodiless, chunked, length) {
        (true, _, _) => Framing::Length(0),
        (false, true, _) => Framing::Chunked,
        (false, false, Some(len)) => Framing::Length(len),
        (false, false, None) => Framing::UntilClose,
    };
    Ok(Some(Head { status, len: end + 4, framing, close: close || framing == Framing::UntilClose }))
}

/// The length of the chunked body at the start of `body`, once its last chunk and trailers are all
/// there; `None` before.
pub(crate) fn chunked_len(body: &[u8]) -> Result<Option<usize>, String> {
    let mut at = 0;
    loop {
        let Some(line_end) = find_crlf(body, at) else { return Ok(None) };
        let line = std::str::from_utf8(&body[at..line_end]).map_err(|_| "a chunk size is not text")?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16).map_err(|_| format!("bad chunk size {size:?}"))?;
        at = line_end + 2;
        if size == 0 {
            // Trailer lines, then a blank line.
            loop {
                let Some(end) = find_crlf(body, at) else { return Ok(None) };
                let blank = end == at;
                at = end + 2;
                if blank {
                    return Ok(Some(at));
                }
            }
        }
        let Some(next) = at.checked_add(size).and_then(|n| n.checked_add(2)) else {
            return Err("a chunk size overflows".into());
        };
        if body.len() < next {
            return Ok(None);
        }
        if &body[next - 2..next] != b"\r\n" {
            return Err("a chunk does not end with CRLF".into());
        }
        at = next;
    }
}

fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?.windows(2).position(|w| w == b"\r\n").map(|p| p + from)
}

/// The figures as one table, with the targets.
pub fn table(f: &Figures) -> String {
    let ms = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1000.0);
    let met = |d: Duration, target: Duration| if d < target { "met" } else { "MISSED" };
    let mut rows: Vec<[String; 7]> = Vec::new();
    let note = |label: &str, text: String| {
        [label.to_string(), String::new(), String::new(), String::new(), String::new(), String::new(), text]
    };
    rows.push(["measure", "n", "p50 ms", "p99 ms", "max ms", "target", "notes"].map(String::from));
    rows.push(note("cores", f.cores.to_string()));
    let load = |l: Option<f64>| l.map_or("-".to_string(), |l| format!("{l:.2}"));
    rows.push(note(
        "load average, 1 min",
        format!("{} before, {} after", load(f.load_before), load(f.load_after)),
    ));
    rows.push(note(
        "index",
        format!(
            "{} records, {} documents, {}",
            f.records,
            f.documents,
            f.index_dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(" + ")
        ),
    ));
    rows.push(note(
        "indexing",
        match &f.build {
            Some(b) => format!(
                "{} documents ({} failed), {} records in {:.2} s: {:.0} records/s",
                b.docs,
                b.failed,
                b.records,
                b.elapsed.as_secs_f64(),
                b.records_per_second()
            ),
            None => "reused an existing index: not timed".to_string(),
        },
    ));
    rows.push(note("index on disk", format!("{:.1} MiB", f.index_bytes as f64 / (1024.0 * 1024.0))));
    let target = format!("p99 < {} ms", QUERY_P99_TARGET.as_millis());
    for c in &f.classes {
        let hits = if c.name.starts_with("by year") {
            format!("{:.1} years", c.hits)
        } else {
            format!("{:.1} hits", c.hits)
        };
        rows.push([
            c.name.to_string(),
            c.latency.count.to_string(),
            ms(c.latency.p50),
            ms(c.latency.p99),
            ms(c.latency.max),
            format!("{target} {}", met(c.latency.p99, QUERY_P99_TARGET)),
            format!(
                "{hits}, {}–{} matching; slowest {} (p50 {} ms); {}",
                c.matching.0,
                c.matching.1,
                c.slowest.0,
                ms(c.slowest.1),
                c.examples
            ),
        ]);
    }
    match &f.server {
        Ok(s) => {
            let errors = match &s.first_error {
                Some(e) => format!("{} errors (first: {e})", s.errors),
                None => format!("{} errors", s.errors),
            };
            rows.push([
                format!("server /api/search, {} req/s", s.rate),
                s.ok.to_string(),
                ms(s.latency.p50),
                ms(s.latency.p99),
                ms(s.latency.max),
                format!(
                    "p99 < {} ms {}",
                    SERVER_P99_TARGET.as_millis(),
                    met(s.latency.p99, SERVER_P99_TARGET)
                ),
                format!(
                    "{:.1} req/s achieved, {} of {} scheduled over {} s, {errors}, {} connections from {} \
                     clients, {} sent over {} ms late, limit={HITS}",
                    s.achieved,
                    s.ok,
                    s.scheduled,
                    s.duration.as_secs_f64(),
                    s.connections,
                    s.clients,
                    s.late,
                    LATE.as_millis()
                ),
            ]);
        }
        Err(why) => rows.push(note("server /api/search", format!("not measured: {why}"))),
    }
    let mut widths = [0usize; 7];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            let pad = w.saturating_sub(cell.chars().count());
            match i {
                // Figures to the right, words to the left; the last column unpadded.
                1..=4 => line.push_str(&format!("{}{cell}  ", " ".repeat(pad))),
                6 => line.push_str(cell),
                _ => line.push_str(&format!("{cell}{}  ", " ".repeat(pad))),
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let samples: Vec<Duration> = (1..=100).map(ms).collect();
        assert_eq!(percentile(&samples, 50.0), ms(50));
        assert_eq!(percentile(&samples, 99.0), ms(99));
        assert_eq!(percentile(&samples, 100.0), ms(100));
        assert_eq!(percentile(&samples, 0.0), ms(1));
        let two_hundred: Vec<Duration> = (1..=200).map(ms).collect();
        assert_eq!(percentile(&two_hundred, 99.0), ms(198));
        assert_eq!(percentile(&[ms(7)], 99.0), ms(7));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
        let summary = Latency::of(vec![ms(3), ms(1), ms(2)]);
        assert_eq!(summary, Latency { count: 3, p50: ms(2), p99: ms(3), max: ms(3) });
    }

    #[test]
    fn the_schedule_is_fixed_by_the_rate() {
        assert_eq!(requests_in(200, Duration::from_secs(10)), 2000);
        assert_eq!(requests_in(200, ms(2500)), 500);
        assert_eq!(due(0, 200), Duration::ZERO);
        assert_eq!(due(1, 200), ms(5));
        assert_eq!(due(200, 200), Duration::from_secs(1));
        assert_eq!(due(1999, 200), ms(9995));
        assert_eq!(due(1, 3), Duration::from_nanos(333_333_333));
        assert_eq!(due(5, 0), Duration::from_secs(5), "a rate of 0 is read as 1");
    }

    #[test]
    fn response_heads_and_bodies() {
        let closing =
            b"HTTP/1.1 200 OK\r\nContent-Type: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
        let head = parse_head(closing).expect("valid").expect("complete");
        assert_eq!(
            head,
            Head { status: 200, len: closing.len() - 5, framing: Framing::Length(5), close: true }
        );
        assert_eq!(parse_head(&closing[..20]), Ok(None));

        let kept =
            parse_head(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n").expect("valid").expect("head");
        assert_eq!((kept.status, kept.framing, kept.close), (404, Framing::Length(0), false));
        let old = parse_head(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n").expect("valid").expect("head");
        assert!(old.close);
        let until_close = parse_head(b"HTTP/1.1 200 OK\r\n\r\n").expect("valid").expect("head");
        assert_eq!((until_close.framing, until_close.close), (Framing::UntilClose, true));
        let chunked = parse_head(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").expect("valid");
        assert_eq!(chunked.map(|h| h.framing), Some(Framing::Chunked));

        assert!(parse_head(b"SSH-2.0-OpenSSH\r\n\r\n").is_err());
        assert!(parse_head(b"HTTP/1.1 abc OK\r\n\r\n").is_err());
        assert!(parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").is_err());

        let body = b"5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nTrailer: t\r\n\r\n";
        assert_eq!(chunked_len(body), Ok(Some(body.len())));
        assert_eq!(chunked_len(&body[..body.len() - 1]), Ok(None));
        assert_eq!(chunked_len(&body[..9]), Ok(None));
        assert_eq!(chunked_len(b"0\r\n\r\n"), Ok(Some(5)));
        assert!(chunked_len(b"zz\r\n").is_err());
        assert!(chunked_len(b"2\r\nabcd\r\n").is_err());
    }

    #[test]
    fn queries_are_form_encoded() {
        assert_eq!(encode("\"nära relationer\""), "%22n%C3%A4ra+relationer%22");
        let paths = api_paths();
        assert!(paths.iter().all(|p| p.starts_with("/api/search?q=") && p.contains("&limit=20")));
        assert!(paths.iter().any(|p| p.contains("&from=")));
        let sent: std::collections::HashSet<&String> = paths.iter().collect();
        assert!(sent.contains(&"/api/search?q=kvinno*&limit=20".to_string()));
        assert!(sent.contains(&"/api/search?q=j%C3%A4mst%C3%A4ldhet&limit=20".to_string()));
        assert_eq!(paths.len(), 7 * WORDS.len() * YEARS.count(), "every class as often as the largest");
    }

    /// What the test server does with each request of a connection.
    #[derive(Clone, Copy)]
    enum Act {
        /// Answer, chunked, and keep the connection.
        Keep,
        /// Answer with `Connection: close` and close.
        Close,
        /// Close without answering, as a server closing an idle keep-alive connection does.
        Drop,
    }

    /// Connections that answer twice and close saying so, and one that closes silently when the
    /// client reuses it: the client reads each answer whole, connects again, and sends the request
    /// that found its connection closed once more.
    #[test]
    fn the_client_reuses_a_connection_and_reconnects_when_it_closes() {
        use std::net::TcpListener;
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let script = [vec![Act::Keep, Act::Keep, Act::Close], vec![Act::Keep, Act::Drop], vec![Act::Close]];
        let server = std::thread::spawn(move || {
            for acts in script {
                let Ok((mut stream, _)) = listener.accept() else { return };
                for act in acts {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        match stream.read(&mut byte) {
                            Ok(1) => head.push(byte[0]),
                            _ => return,
                        }
                    }
                    let answer: &[u8] = match act {
                        Act::Keep => {
                            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
                        }
                        Act::Close => b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                        Act::Drop => break,
                    };
                    if stream.write_all(answer).is_err() {
                        return;
                    }
                }
            }
        });
        let mut client = Client::new(addr);
        for _ in 0..5 {
            client.get("/api/search?q=x").expect("answered");
        }
        assert_eq!(client.connections, 3);
        server.join().expect("server thread");
    }
}
