//! The `arkiv` command line: a thin layer over the library. Each subcommand parses its flags, calls one
//! library function and prints. Exit codes: 0 success, 1 some files failed (or nothing found to do), 2
//! usage or fatal errors.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use arkiv::export;
use arkiv::extract;
use arkiv::extract::ocr::OcrMode;
use arkiv::follow::Link;
use arkiv::index::{year_rows, Filter, Index, Sort, Writer};
use arkiv::ingest;
use arkiv::records::{Kind, Record};
use arkiv::segment::{DocType, Status};

#[derive(Parser)]
#[command(
    name = "arkiv",
    version,
    about = "Structured records and a Swedish search archive from SKL/SKR documents"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a document's plain text in reading order, pages separated by a form feed.
    Extract {
        file: PathBuf,
        /// The password of an encrypted PDF: the user or the owner password.
        #[arg(long)]
        password: Option<String>,
        /// When to read pages by OCR: `auto` (pages with images and no usable text), `always`
        /// (every page with an image) or `never`.
        #[arg(long, default_value = "auto", value_name = "WHEN")]
        ocr: OcrMode,
    },
    /// Print a document's records (JSON Lines with --json); nothing is indexed. With --batch, read
    /// inputs one per line on standard input (a path, {"path": P} or {"content": BASE64, "name": N})
    /// and write each one's records, or a failure line, as JSON Lines: the worker of a distributed job.
    Parse {
        #[arg(required_unless_present = "batch")]
        file: Option<PathBuf>,
        /// Worker mode: inputs on standard input, JSON Lines out; never stops at a bad input.
        #[arg(long, conflicts_with = "file")]
        batch: bool,
        /// With --batch: give up on a file after this many seconds (0: no limit), as ingest does.
        #[arg(long, default_value_t = 60, value_name = "SECONDS", requires = "batch")]
        file_timeout: u64,
        /// With --batch: `jsonl`, or `arrow` (an Arrow IPC stream of rows with the record's kind,
        /// ids, path, year and doc_type beside its JSON, for a job to hand on without decoding it).
        #[arg(long, default_value = "jsonl", value_name = "FORMAT", requires = "batch")]
        format: arkiv::batch::Format,
        /// One JSON object per line (the default prints an outline).
        #[arg(long)]
        json: bool,
        #[arg(long)]
        password: Option<String>,
        /// When to read pages by OCR: `auto` (pages with images and no usable text), `always`
        /// (every page with an image) or `never`.
        #[arg(long, default_value = "auto", value_name = "WHEN")]
        ocr: OcrMode,
    },
    /// Add files or folders (recursively) to the index.
    Ingest {
        /// Files or folders; .pdf, .html, .htm, .txt and .md are read (default: fixtures, unless
        /// --retry-failed is given).
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// The password (user or owner) for encrypted PDFs in the batch.
        #[arg(long)]
        password: Option<String>,
        /// Also read again every file that failed at its last ingest into this index.
        #[arg(long)]
        retry_failed: bool,
        /// Give up on a file after this many seconds (0: no limit).
        #[arg(long, default_value_t = 60, value_name = "SECONDS")]
        file_timeout: u64,
        /// When to read pages by OCR: `auto` (pages with images and no usable text), `always`
        /// (every page with an image) or `never`.
        #[arg(long, default_value = "auto", value_name = "WHEN")]
        ocr: OcrMode,

        /// Commit after this many changed documents (a crash loses at most these).
        #[arg(long, default_value_t = ingest::COMMIT_EVERY, hide = true)]
        commit_every: usize,
    },
    /// Build an index from records made elsewhere (`parse --batch`, `export --format jsonl`, the
    /// Spark job's Parquet), parsing nothing.
    Index {
        /// Record files or folders: JSON Lines, or Parquet with a `record` column.
        #[arg(long = "from-records", required = true, value_name = "FILE|DIR")]
        from_records: Vec<PathBuf>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Index only the documents of shard K of N (see the README: a document's shard is its id's
        /// number modulo N).
        #[arg(long, value_name = "K/N")]
        shard: Option<arkiv::load::Shard>,
    },
    /// List the documents in the index (or the files that failed, or the duplicates).
    List {
        /// The index folder; give --index more than once to read several (shards) as one.
        #[arg(long, default_value = "index")]
        index: Vec<PathBuf>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
        /// The files that failed at their last ingest, with why.
        #[arg(long, conflicts_with = "duplicates")]
        failed: bool,
        /// Only documents seen under more than one path.
        #[arg(long)]
        duplicates: bool,
    },
    /// Take a document out of the index, by one of its paths (the others stay) or by its id.
    Remove {
        /// A path the document was ingested from, or its id (doc-…).
        target: String,
        #[arg(long, default_value = "index")]
        index: PathBuf,
    },
    /// Rebuild the index under this arkiv's schema and analysers (ingest does so when needed).
    Reindex {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Also read again, from its source file, every document made by another pipeline version.
        #[arg(long)]
        reparse: bool,
        #[arg(long)]
        password: Option<String>,
    },
    /// Search the index.
    Search {
        query: String,
        /// The index folder; give --index more than once to read several (shards) as one.
        #[arg(long, default_value = "index")]
        index: Vec<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// `relevance` (best match first) or `date` (newest document first).
        #[arg(long, value_enum, default_value_t = Sort::Relevance)]
        sort: Sort,
        /// Instead of hits, the number of matching records in each year (a record's own years), by kind.
        #[arg(long)]
        by_year: bool,
        /// One JSON object per hit (or per year).
        #[arg(long)]
        json: bool,
    },
    /// Write every matching record, complete.
    Export {
        /// The index folder; give --index more than once to read several (shards) as one.
        #[arg(long, default_value = "index")]
        index: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        #[command(flatten)]
        filter: FilterArgs,
        /// Write to this file instead of standard output (Parquet needs a file or a pipe).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// CSV in long form: one row per year or per actor of an activity (other rows once).
        #[arg(long, value_enum)]
        explode: Option<export::Explode>,
        /// CSV: start with a UTF-8 byte-order mark, so that Excel reads å, ä and ö right.
        #[arg(long)]
        bom: bool,
    },
    /// Follow commitments across years: each goal and planned or ongoing activity with the records
    /// of later documents that report on it.
    Follow {
        /// The index folder; give --index more than once to read several (shards) as one.
        #[arg(long, default_value = "index")]
        index: Vec<PathBuf>,
        /// Only the commitments matching these words (as `arkiv search` matches them).
        query: Option<String>,
        /// Only the commitments of documents of this year or range.
        #[arg(long, value_parser = parse_years)]
        doc_year: Option<(i32, i32)>,
        /// One JSON object per link: from, to, from_doc, to_doc, from_year, to_year, from_status,
        /// to_status, score.
        #[arg(long)]
        json: bool,
    },
    /// Serve a search page (and a JSON API and export) over HTTP, for staff with a browser.
    Serve {
        /// The index folder; give --index more than once to read several (shards) as one.
        #[arg(long, default_value = "index")]
        index: Vec<PathBuf>,
        /// The address to listen on; port 0 picks a free port. Use 0.0.0.0:PORT to serve the network.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
    },
    /// Print the JSON Schema of the records (`arkiv parse --json`), or with --export of the records
    /// `arkiv export` writes as JSON.
    Schema {
        #[arg(long)]
        export: bool,
    },
    /// Measure speed: `extract` beside pdftotext, `ingest` of a generated corpus, or `search` on it.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Extraction speed beside pdftotext (pages per second, 1 thread and all cores).
    Extract {
        /// PDFs or folders; default: the test corpus and the 2,000-page PDF, timed apart.
        paths: Vec<PathBuf>,
        /// Runs per measurement; the fastest counts.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// Generate N distinct documents, ingest them into a fresh index, re-ingest them unchanged and
    /// print throughput per phase, peak memory and index size. Run one N per process: peak memory is
    /// the process's.
    Ingest {
        #[arg(long, default_value_t = 1000)]
        docs: usize,
        /// Write the documents and the index into this folder and keep them (default: a temporary
        /// folder, removed at the end).
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Index generated documents (over 100,000 records by default), time each kind of query (p50,
    /// p99), then the web API at a fixed request rate, and print one table beside the targets. The
    /// server started logs each request to standard error.
    Search {
        /// Documents to generate and index (about 87 records each).
        #[arg(long, default_value_t = arkiv::bench::search::DEFAULT_DOCS)]
        docs: usize,
        /// Write the documents and the index into this folder and keep them; a later run with the
        /// same folder reuses the index there instead of building it (default: a temporary folder,
        /// removed at the end).
        #[arg(long, conflicts_with = "index")]
        keep: Option<PathBuf>,
        /// Measure this existing index instead of building one; it is only read. Give it more than
        /// once to measure shards read as one.
        #[arg(long)]
        index: Vec<PathBuf>,
        /// Timed queries per query class (after a warm-up of a tenth as many).
        #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
        queries: u64,
        /// Requests per second sent to the server.
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
        rate: u32,
        /// How long the server is loaded, in seconds.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
        seconds: u64,
        /// Client threads of the load generator, each with its own connection.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=256))]
        clients: u64,
    },
}

#[derive(Args)]
struct FilterArgs {
    /// A year (2012) or an inclusive range (2018..2020, 2018.., ..2020) of the record's own years: an
    /// activity's years, else its document's year.
    #[arg(long, value_parser = parse_years)]
    year: Option<(i32, i32)>,
    /// A year or range of the document's year.
    #[arg(long, value_parser = parse_years)]
    doc_year: Option<(i32, i32)>,
    /// The document type.
    #[arg(long = "type", value_enum)]
    doc_type: Option<DocType>,
    /// The record kind.
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    /// An activity's status.
    #[arg(long, value_enum)]
    status: Option<Status>,
    /// Words of an actor's name (socialstyrelsen, länsstyrelserna).
    #[arg(long)]
    actor: Option<String>,
    /// The publishing organisation (SKL, SKR).
    #[arg(long)]
    org: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> Filter {
        Filter {
            years: self.year,
            doc_years: self.doc_year,
            doc_type: self.doc_type,
            kind: self.kind,
            status: self.status,
            actor: self.actor.clone(),
            org: self.org.clone(),
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Jsonl,
    Json,
    Csv,
    Parquet,
}

/// Counts per (year, kind) as a table with a column per kind and a total, or as one JSON object per
/// year (`{"year": 2018, "total": 12, "activity": 9, …}`).
fn year_table(counts: &std::collections::BTreeMap<(i32, String), u64>, json: bool) -> String {
    let mut out = String::new();
    if !json {
        out.push_str("year   total  document   section      goal  activity\n");
    }
    for row in year_rows(counts) {
        if json {
            out.push_str(&format!("{}\n", row.to_json()));
        } else {
            let cells: Vec<String> = row.counts.iter().map(|n| format!("{n:>9}")).collect();
            out.push_str(&format!("{} {:>7} {}\n", row.year, row.total(), cells.join(" ")));
        }
    }
    out
}

fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let year = |t: &str, default: i32| -> Result<i32, String> {
        if t.is_empty() {
            return Ok(default);
        }
        t.trim().parse().map_err(|_| format!("{t:?} is not a year (use 2012 or 2018..2020)"))
    };
    let (a, b) = match s.split_once("..") {
        Some((a, b)) => (year(a, i32::MIN)?, year(b, i32::MAX)?),
        None => {
            let y = year(s, 0)?;
            (y, y)
        }
    };
    if a > b {
        return Err(format!("{s}: the range is empty (the first year is after the last)"));
    }
    Ok((a, b))
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("arkiv: {message}");
            ExitCode::from(2)
        }
    }
}

/// glibc gives each thread that allocates its own heap arena, up to eight per core. An ingest's
/// threads (rayon's readers, tantivy's indexers and mergers) free large buffers in arenas that are then
/// reused by other sizes, and the unreturned memory grew with the batch: a 10,000-document ingest
/// peaked at 179 MB against 129 MB with one arena per core, for about the same time. Called before any
/// thread starts, as `mallopt` requires.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2);
        let cores = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets an allocator parameter; it is called before any other thread
        // exists. Its result (0 on failure) changes nothing but memory use, so it is ignored.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, cores);
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Extract { file, password, ocr } => {
            let doc = extract::extract_file(&file, &extract::Options { password, ocr, ..Default::default() })
                .map_err(|e| format!("{}: {e}", file.display()))?;
            for w in &doc.warnings {
                eprintln!("arkiv: {}: {w}", file.display());
            }
            if let Some(engine) = &doc.ocr_engine {
                for page in &doc.ocr_pages {
                    eprintln!(
                        "arkiv: {}: page {} read by OCR ({engine}): {} words, mean confidence {:.0}",
                        file.display(),
                        page.number,
                        page.words,
                        page.mean_confidence
                    );
                }
            }
            say_needs_ocr("arkiv", &file, &doc.pages_needing_ocr(), ocr);
            write_out(&mut std::io::stdout().lock(), doc.plain_text().as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Parse { batch: true, password, ocr, file_timeout, format, .. } => {
            let timeout = per_file_limit(file_timeout);
            let options = extract::Options { password, timeout, ocr };
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let summary = arkiv::batch::run(&mut std::io::stdin().lock(), &mut out, &options, format);
            match summary {
                Err(arkiv::Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Err(format!("batch: {e}")),
                Ok(summary) => {
                    eprintln!(
                        "arkiv: {} inputs, {} failed, {} records",
                        summary.inputs, summary.failed, summary.records
                    );
                    // As ingest: every input was answered, but a bug in arkiv is not the files' fault.
                    Ok(if summary.internal > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
                }
            }
        }
        Command::Parse { file, json, password, ocr, .. } => {
            let file = file.ok_or("give a file to parse, or --batch")?;
            let parsed = ingest::parse_file(&file, &extract::Options { password, ocr, ..Default::default() })
                .map_err(|e| format!("{}: {e}", file.display()))?;
            say_needs_ocr("arkiv", &file, &parsed.pages_needing_ocr, ocr);
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let records: Vec<&Record> =
                if json { parsed.records.iter().collect() } else { reading_order(&parsed.records) };
            for r in records {
                let line = if json { to_json(r)? } else { outline(r) };
                write_out(&mut out, line.as_bytes())?;
                write_out(&mut out, b"\n")?;
            }
            flush_out(&mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest { paths, index, password, retry_failed, file_timeout, commit_every, ocr } => {
            let timeout = per_file_limit(file_timeout);
            let options = extract::Options { password, timeout, ocr };
            run_ingest(paths, index, options, retry_failed, commit_every)
        }
        Command::Index { from_records, index, shard } => {
            let loaded = arkiv::load::load(&from_records, &index, shard).map_err(|e| e.to_string())?;
            println!(
                "{} files: {} documents indexed, {} unchanged, {} duplicates, {} in other shards; {} records, {} failures",
                loaded.files,
                loaded.added,
                loaded.unchanged,
                loaded.duplicates,
                loaded.other_shards,
                loaded.records,
                loaded.failures
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::List { index, json, failed, duplicates } => run_list(&index, json, failed, duplicates),
        Command::Remove { target, index } => {
            let mut writer = Writer::open(&index).map_err(|e| e.to_string())?;
            let removed = if target.starts_with("doc-") && writer.paths_of(&target).is_some() {
                writer
                    .remove_document(&target)
                    .map_err(|e| e.to_string())?
                    .map(|paths| (target.clone(), paths))
            } else {
                let path =
                    std::fs::canonicalize(&target).map_or(target.clone(), |p| p.to_string_lossy().into());
                let doc_id = writer.remove_path(&path).map_err(|e| e.to_string())?;
                doc_id.map(|d| (d, vec![path]))
            };
            let Some((doc_id, paths)) = removed else {
                eprintln!("arkiv: {target}: no such document or path in {}", index.display());
                return Ok(ExitCode::from(1));
            };
            writer.commit().map_err(|e| e.to_string())?;
            let left = writer.paths_of(&doc_id).map_or(0, <[String]>::len);
            for path in &paths {
                println!("removed {path}");
            }
            if left > 0 {
                println!("{doc_id} stays, under {left} other path(s)");
            } else {
                println!("{doc_id} and its records are out of the index");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reindex { index, reparse, password } => {
            let options = extract::Options { password, ..Default::default() };
            let done = ingest::reindex(&index, reparse, &options).map_err(|e| e.to_string())?;
            for id in &done.kept {
                eprintln!("warning: {id}: kept as stored: no path still holds its content");
            }
            for (id, why) in &done.failed {
                eprintln!("warning: {id}: kept as stored: {why}");
            }
            // A bug in arkiv is never just a warning: the status says so, as for ingest.
            let internal = done.failed.iter().any(|(_, e)| matches!(e, arkiv::Error::Internal(_)));
            println!(
                "{}: {} documents rebuilt; {} read again, {} kept as stored",
                index.display(),
                done.documents,
                done.reparsed,
                done.kept.len() + done.failed.len()
            );
            Ok(if internal { ExitCode::from(2) } else { ExitCode::SUCCESS })
        }
        Command::Search { query, index, filter, limit, sort, by_year, json } => {
            let index = open_reader(&index)?;
            if by_year {
                let counts = index.counts(&query, &filter.filter()).map_err(|e| e.to_string())?.by_year;
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                write_out(&mut out, year_table(&counts, json).as_bytes())?;
                flush_out(&mut out)?;
                return Ok(if counts.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS });
            }
            let hits =
                index.search_sorted(&query, &filter.filter(), limit, sort).map_err(|e| e.to_string())?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for (rank, hit) in hits.iter().enumerate() {
                let text = if json {
                    format!("{}\n", hit.to_json())
                } else {
                    let year = hit.context.year.map_or("----".to_string(), |y| y.to_string());
                    let path = if hit.context.section_path.is_empty() {
                        String::new()
                    } else {
                        format!(" › {}", hit.context.section_path.join(" › "))
                    };
                    format!(
                        "{:>2}. [{year}] {} — {}{path}\n    {}\n\n",
                        rank + 1,
                        hit.record.kind().as_str(),
                        hit.context.title,
                        hit.snippet
                    )
                };
                write_out(&mut out, text.as_bytes())?;
            }
            flush_out(&mut out)?;
            if hits.is_empty() {
                match index.suggest(&query) {
                    Some(suggestion) => {
                        eprintln!("arkiv: no records match {query:?}; did you mean {suggestion:?}?")
                    }
                    None => eprintln!("arkiv: no records match {query:?}"),
                }
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { index, format, filter, output, explode, bom } => {
            let format = match format {
                ExportFormat::Jsonl => export::Format::Jsonl,
                ExportFormat::Json => export::Format::Json,
                ExportFormat::Csv => export::Format::Csv,
                ExportFormat::Parquet => export::Format::Parquet,
            };
            if format != export::Format::Csv && (explode.is_some() || bom) {
                return Err("--explode and --bom apply to --format csv only".into());
            }
            if format == export::Format::Parquet && output.is_none() && std::io::stdout().is_terminal() {
                return Err(
                    "Parquet is binary: give --output FILE.parquet, or redirect standard output".into()
                );
            }
            let index = open_reader(&index)?;
            let records = index.export(&filter.filter()).map_err(|e| e.to_string())?;
            let links = arkiv::follow::links_in(&index).map_err(|e| e.to_string())?;
            let mut sink: Box<dyn Write + Send> = match &output {
                Some(path) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout())),
            };
            let options = export::Options { format, explode, bom };
            let written = export::write(&mut *sink, &records, &export::FollowUps::new(&links), options)
                .and_then(|()| sink.flush().map_err(arkiv::Error::from));
            match written {
                // `arkiv export | head` closes the pipe early: that is a normal end.
                Err(arkiv::Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(format!("writing the export: {e}")),
                Ok(()) => {}
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Follow { index, query, doc_year, json } => {
            let index = open_reader(&index)?;
            follow(&index, query.as_deref().unwrap_or(""), doc_year, json)
        }
        Command::Bench { what: BenchCommand::Extract { paths, repeat } } => bench_extract(paths, repeat),
        Command::Bench { what: BenchCommand::Ingest { docs, keep } } => bench_ingest(docs, keep),
        Command::Bench {
            what: BenchCommand::Search { docs, keep, index, queries, rate, seconds, clients },
        } => {
            let queries = usize::try_from(queries).unwrap_or(usize::MAX);
            let options = arkiv::bench::search::Options {
                docs,
                queries,
                warmup: queries.div_ceil(10),
                rate,
                duration: std::time::Duration::from_secs(seconds),
                clients: usize::try_from(clients).unwrap_or(1),
            };
            bench_search(keep, index, &options)
        }
        Command::Serve { index, addr } => {
            let index = open_reader(&index)?;
            let server = arkiv::serve::Server::bind(index, addr.as_str())
                .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
            let bound = server.local_addr().map_err(|e| format!("cannot listen on {addr}: {e}"))?;
            println!("listening on http://{bound}/");
            server.run().map_err(|e| format!("cannot serve: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { export } => {
            let schema = if export { export::json_schema() } else { arkiv::records::json_schema() };
            write_out(&mut std::io::stdout().lock(), format!("{schema}\n").as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn bench_extract(paths: Vec<PathBuf>, repeat: usize) -> Result<ExitCode, String> {
    let groups: Vec<(String, Vec<PathBuf>)> = if paths.is_empty() {
        vec![
            ("corpus".into(), arkiv::bench::pdfs_under(&[PathBuf::from("tests/data/pdf")])),
            ("2000 pages".into(), vec![PathBuf::from("tests/data/bad/many-pages.pdf")]),
        ]
    } else {
        vec![("given".into(), arkiv::bench::pdfs_under(&paths))]
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{:<42} {:>6} {:>7} {:>9} {:>10}", "run", "files", "pages", "seconds", "pages/s");
    for (label, files) in groups {
        if files.is_empty() {
            return Err(format!("{label}: no PDFs found"));
        }
        for t in arkiv::bench::run(&label, &files, cores, repeat) {
            println!(
                "{:<42} {:>6} {:>7} {:>9.3} {:>10.0}",
                t.label,
                t.files,
                t.pages,
                t.elapsed.as_secs_f64(),
                t.pages_per_second()
            );
        }
    }
    if let Some(kib) = arkiv::bench::peak_rss_kib() {
        println!("peak memory of arkiv (all runs): {:.1} MiB", kib as f64 / 1024.0);
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_ingest(docs: usize, keep: Option<PathBuf>) -> Result<ExitCode, String> {
    use arkiv::bench::ingest as bench;
    let dir = match &keep {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            dir.clone()
        }
        None => bench::temp_dir().map_err(|e| format!("cannot make a temporary folder: {e}"))?,
    };
    let figures = bench::run(docs, &dir);
    if keep.is_none() {
        // The generated corpus and index are scratch; a failure to remove them is not the run's.
        let _ = std::fs::remove_dir_all(&dir);
    }
    let figures = figures.map_err(|e| format!("{}: {e}", dir.display()))?;
    print!("{}", bench::table(&figures));
    Ok(ExitCode::SUCCESS)
}

fn bench_search(
    keep: Option<PathBuf>,
    index: Vec<PathBuf>,
    options: &arkiv::bench::search::Options,
) -> Result<ExitCode, String> {
    use arkiv::bench::search::{self as bench, Source};
    let (source, temporary) = match (index.is_empty(), &keep) {
        (false, _) => (Source::Existing(index), None),
        (true, Some(dir)) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            (Source::Work(dir.clone()), None)
        }
        (true, None) => {
            let dir = arkiv::bench::ingest::temp_dir()
                .map_err(|e| format!("cannot make a temporary folder: {e}"))?;
            (Source::Work(dir.clone()), Some(dir))
        }
    };
    let figures = bench::run(&source, options);
    if let Some(dir) = &temporary {
        // The generated corpus and index are scratch; a failure to remove them is not the run's.
        let _ = std::fs::remove_dir_all(dir);
    }
    let figures = figures.map_err(|e| match &source {
        Source::Work(dir) => format!("{}: {e}", dir.display()),
        Source::Existing(dirs) => {
            format!("{}: {e}", dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", "))
        }
    })?;
    print!("{}", bench::table(&figures));
    Ok(ExitCode::SUCCESS)
}

fn run_ingest(
    mut paths: Vec<PathBuf>,
    index: PathBuf,
    extract: extract::Options,
    retry_failed: bool,
    commit_every: usize,
) -> Result<ExitCode, String> {
    let ocr_mode = extract.ocr;
    if retry_failed {
        let failed = match Index::open(&index) {
            Ok(reader) => reader.failures().map_err(|e| e.to_string())?,
            Err(e) => return Err(e.to_string()),
        };
        paths.extend(failed.into_iter().map(|f| PathBuf::from(f.path)));
        if paths.is_empty() {
            println!("{}: no failed files to retry", index.display());
            return Ok(ExitCode::SUCCESS);
        }
    } else if paths.is_empty() {
        paths.push(PathBuf::from("fixtures"));
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files{prefix} {elapsed} {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress_bar = bar.clone();
    let options = ingest::Options {
        index_dir: index.clone(),
        extract,
        commit_every,
        on_progress: Box::new(move |progress: ingest::Progress, path: &Path| {
            if let Some(bar) = &progress_bar {
                bar.set_length(progress.files_total as u64);
                bar.set_position(progress.files_done as u64);
                if progress.ocr_pages > 0 {
                    bar.set_prefix(format!(", {} pages by OCR", progress.ocr_pages));
                }
                bar.set_message(path.display().to_string());
            }
        }),
    };
    let report = match ingest::ingest(&paths, &options) {
        Ok(report) => report,
        Err(e @ arkiv::Error::NothingToIngest(_)) => {
            eprintln!("arkiv: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(format!("{}: {e}", index.display())),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print_report(&report, ocr_mode);
    Ok(if report.has_internal_errors() {
        ExitCode::from(2)
    } else if report.failures().next().is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Flag pages that have no text and were not read by OCR, and say once per run how to get them read
/// when the engine is missing.
fn say_needs_ocr(label: &str, path: &Path, pages: &[u32], mode: OcrMode) {
    if pages.is_empty() {
        return;
    }
    eprintln!("{label}: {}: no text layer (image only) on pages {pages:?}, needs OCR", path.display());
    static HINTED: std::sync::Once = std::sync::Once::new();
    if mode != OcrMode::Never && arkiv::extract::ocr::Engine::installed().is_none() {
        HINTED.call_once(|| eprintln!("arkiv: {}", arkiv::extract::ocr::INSTALL_HINT));
    }
}

fn print_report(report: &ingest::Report, ocr_mode: OcrMode) {
    use ingest::Outcome;
    let indexed = report.count(|o| matches!(o, Outcome::Indexed { .. }));
    let unchanged = report.count(|o| matches!(o, Outcome::Unchanged));
    let duplicates = report.count(|o| matches!(o, Outcome::Duplicate { .. }));
    let failed = report.count(|o| matches!(o, Outcome::Failed(_)));
    for (path, outcome) in &report.files {
        match outcome {
            Outcome::Indexed { pages_needing_ocr, warnings, .. } => {
                for w in warnings {
                    eprintln!("warning: {}: {w}", path.display());
                }
                say_needs_ocr("warning", path, pages_needing_ocr, ocr_mode);
            }
            Outcome::Failed(reason) => eprintln!("error: {}: {reason}", path.display()),
            Outcome::Duplicate { .. } | Outcome::Unchanged => {}
        }
    }
    let kinds = report.records_by_kind();
    let kinds: Vec<String> = [Kind::Document, Kind::Section, Kind::Goal, Kind::Activity]
        .iter()
        .map(|k| format!("{} {}", kinds.get(k).copied().unwrap_or(0), k.as_str()))
        .collect();
    let duplicates = match duplicates {
        0 => String::new(),
        1 => ", 1 duplicate of an already indexed document".to_string(),
        n => format!(", {n} duplicates of already indexed documents"),
    };
    let ocr_pages: u32 = report
        .files
        .iter()
        .map(|(_, o)| if let Outcome::Indexed { ocr_pages, .. } = o { *ocr_pages } else { 0 })
        .sum();
    let ocr = if ocr_pages > 0 { format!(" ({ocr_pages} read by OCR)") } else { String::new() };
    println!(
        "{} files: {indexed} indexed, {unchanged} unchanged{duplicates}, {failed} failed; {} pages{ocr}; records: {}; {:.2} s",
        report.files.len(),
        report.pages(),
        kinds.join(", "),
        report.elapsed.as_secs_f64()
    );
}

/// `arkiv follow`: each commitment (of the documents in `doc_years`, matching `query`) with its
/// follow-ups, or with --json one object per link.
fn follow(index: &Index, query: &str, doc_years: Option<(i32, i32)>, json: bool) -> Result<ExitCode, String> {
    let pool = arkiv::follow::pool(index).map_err(|e| e.to_string())?;
    let links = arkiv::follow::links(&pool);
    let matching: Option<std::collections::HashSet<String>> = if query.trim().is_empty() {
        None
    } else {
        let hits = index.search(query, &Filter::default(), usize::MAX).map_err(|e| e.to_string())?;
        Some(hits.into_iter().map(|h| h.record.id().to_string()).collect())
    };
    let wanted = |record: &Record, year: Option<i32>| {
        arkiv::follow::is_commitment(record)
            && doc_years.is_none_or(|(lo, hi)| year.is_some_and(|y| (lo..=hi).contains(&y)))
            && matching.as_ref().is_none_or(|ids| ids.contains(record.id()))
    };
    let records: std::collections::HashMap<&str, &(Record, arkiv::index::DocContext)> =
        pool.iter().map(|pair| (pair.0.id(), pair)).collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        for link in &links {
            if records.get(link.from.as_str()).is_some_and(|(r, c)| wanted(r, c.year)) {
                let line = serde_json::to_string(link).map_err(|e| e.to_string())?;
                write_out(&mut out, format!("{line}\n").as_bytes())?;
            }
        }
        flush_out(&mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut by_from: std::collections::HashMap<&str, Vec<&Link>> = std::collections::HashMap::new();
    for link in &links {
        by_from.entry(link.from.as_str()).or_default().push(link);
    }
    let mut commitments: Vec<&(Record, arkiv::index::DocContext)> =
        pool.iter().filter(|(r, c)| c.year.is_some() && wanted(r, c.year)).collect();
    // Oldest documents first, each document's commitments in its own order (`pool` keeps it).
    commitments.sort_by_key(|(r, c)| (c.year, r.doc_id().to_string()));
    let (mut followed, mut last_doc) = (0usize, "");
    for (record, context) in &commitments {
        if record.doc_id() != last_doc {
            last_doc = record.doc_id();
            let year = context.year.map(|y| y.to_string()).unwrap_or_default();
            write_out(&mut out, format!("\n{year}  {}\n", context.title).as_bytes())?;
        }
        let what = match record {
            Record::Activity(a) if a.years.is_empty() => a.status.as_str().to_string(),
            Record::Activity(a) => {
                let years: Vec<String> = a.years.iter().map(i32::to_string).collect();
                format!("{} {}", a.status.as_str(), years.join(", "))
            }
            _ => "goal".to_string(),
        };
        write_out(&mut out, format!("  [{what}] {}\n", one_line(&record.text(), 160)).as_bytes())?;
        let found = by_from.get(record.id()).map_or(&[][..], Vec::as_slice);
        if found.is_empty() {
            write_out(&mut out, b"      no later report found\n")?;
        } else {
            followed += 1;
        }
        for link in found {
            let Some((to, to_context)) = records.get(link.to.as_str()).copied() else { continue };
            let status = link.to_status.map_or("goal", |s| s.as_str());
            let section = to_context.section_path.last().map(|h| format!(", {h}")).unwrap_or_default();
            let line = format!(
                "      → {} {status} ({}{section}; {:.2}): {}\n",
                link.to_year,
                to_context.title,
                link.score,
                one_line(&to.text(), 140)
            );
            write_out(&mut out, line.as_bytes())?;
        }
    }
    let summary = format!(
        "\n{} commitments, {followed} with a later report, {} links\n",
        commitments.len(),
        commitments.iter().map(|(r, _)| by_from.get(r.id()).map_or(0, Vec::len)).sum::<usize>()
    );
    write_out(&mut out, summary.as_bytes())?;
    flush_out(&mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// `text` on one line, cut at about `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

/// `--file-timeout` as a limit: 0 is none.
fn per_file_limit(seconds: u64) -> Option<std::time::Duration> {
    (seconds > 0).then(|| std::time::Duration::from_secs(seconds))
}

/// Open the index (or the shards read as one) for reading; say on standard error when an ingest is
/// writing it now.
fn open_reader(dirs: &[PathBuf]) -> Result<Index, String> {
    let index = Index::open_shards(dirs).map_err(|e| e.to_string())?;
    if let Some(note) = index.note() {
        eprintln!("arkiv: note: {note}");
    }
    Ok(index)
}

fn run_list(dirs: &[PathBuf], json: bool, failed: bool, duplicates: bool) -> Result<ExitCode, String> {
    let index = open_reader(dirs)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if failed {
        for f in index.failures().map_err(|e| e.to_string())? {
            let line = if json {
                serde_json::to_string(&f).map_err(|e| e.to_string())?
            } else {
                format!("{}\t{}\t{}", f.at, f.path, f.reason)
            };
            write_out(&mut out, format!("{line}\n").as_bytes())?;
        }
        flush_out(&mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for d in index.documents().map_err(|e| e.to_string())? {
        if duplicates && d.paths.len() < 2 {
            continue;
        }
        let line = if json {
            serde_json::to_string(&d).map_err(|e| e.to_string())?
        } else {
            let count = |k: Kind| d.records.get(&k).copied().unwrap_or(0);
            let mut line = format!(
                "{} {} {} {:?} pages {} records {}/{}/{}/{} (document/section/goal/activity) ingested {} pipeline {}\n",
                d.id,
                d.year.map_or("----".into(), |y| y.to_string()),
                d.doc_type.as_str(),
                d.title,
                d.pages.map_or("-".into(), |p| p.to_string()),
                count(Kind::Document),
                count(Kind::Section),
                count(Kind::Goal),
                count(Kind::Activity),
                d.ingested_at.as_deref().unwrap_or("-"),
                d.pipeline_version.map_or("-".into(), |v| v.to_string()),
            );
            line.push_str(&format!("    sha256 {}\n", d.sha256));
            for path in &d.paths {
                line.push_str(&format!("    {path}\n"));
            }
            line.pop();
            line
        };
        write_out(&mut out, format!("{line}\n").as_bytes())?;
    }
    flush_out(&mut out)?;
    Ok(ExitCode::SUCCESS)
}

fn to_json(r: &Record) -> Result<String, String> {
    serde_json::to_string(r).map_err(|e| e.to_string())
}

/// Records for reading: the document, then each section followed by its own goals and activities (goals
/// and activities before the first heading come right after the document).
fn reading_order(records: &[Record]) -> Vec<&Record> {
    let section_of = |r: &Record| match r {
        Record::Goal(g) => Some(g.section_id.clone()),
        Record::Activity(a) => Some(a.section_id.clone()),
        _ => None,
    };
    let children =
        |section: Option<String>| records.iter().filter(move |r| section_of(r) == Some(section.clone()));
    let mut out: Vec<&Record> = records.iter().filter(|r| r.kind() == Kind::Document).collect();
    out.extend(children(None));
    for s in records.iter().filter(|r| r.kind() == Kind::Section) {
        out.push(s);
        out.extend(children(Some(s.id().to_string())));
    }
    out
}

/// A one-line human view of a record for `parse` without `--json`.
fn outline(r: &Record) -> String {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    match r {
        Record::Document(d) => format!(
            "{} \"{}\" number {} date {} year {} org {} pages {}",
            d.doc_type.as_str(),
            d.title,
            or_dash(&d.circular_number),
            or_dash(&d.date),
            d.year.map_or("-".into(), |y| y.to_string()),
            or_dash(&d.org),
            d.source.pages.map_or("-".into(), |p| p.to_string())
        ),
        Record::Section(s) => format!(
            "{}§ {} {}",
            "  ".repeat(s.level.saturating_sub(1) as usize),
            s.number.as_deref().unwrap_or("-"),
            s.heading
        ),
        Record::Goal(g) => format!("    goal: {}", g.text),
        Record::Activity(a) => {
            let status = serde_json::to_value(a.status).ok().and_then(|v| v.as_str().map(str::to_string));
            let years: Vec<String> = a.years.iter().map(i32::to_string).collect();
            format!(
                "    activity ({}; {}; {}): {}",
                status.unwrap_or_default(),
                years.join(", "),
                a.actors.join(", "),
                a.text
            )
        }
    }
}

/// Flush, treating a closed pipe as a normal end.
fn flush_out(out: &mut impl Write) -> Result<(), String> {
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other.map_err(|e| e.to_string()),
    }
}

/// Write, treating a closed pipe (`arkiv export | head`) as a normal end.
fn write_out(out: &mut impl Write, bytes: &[u8]) -> Result<(), String> {
    match out.write_all(bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other.map_err(|e| e.to_string()),
    }
}
