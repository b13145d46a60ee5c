//! `arkiv serve`: the index behind an HTTP server, so staff can search from a browser.
//!
//! Routes: `/` the search page; `/search` the page with hits; `/doc/{doc_id}` one document's view;
//! `/file/{doc_id}` its original file; `/api/search`, `/api/doc/{doc_id}` and `/api/facets` the same
//! as JSON; `/export` the matching records as CSV, JSON or JSON Lines, for download. The index is
//! opened once by the caller and only read.
//!
//! Connections are served by hyper on a tokio runtime: HTTP/1.1 keep-alive, a deadline for each
//! request head and a bound on its size come from hyper, and a cap on open connections and on each
//! connection's life from here. A search runs on tokio's blocking pool, so a slow one never stalls the
//! connections. This module never writes to the index, never serves a file from a path in a request
//! (only the paths the index recorded for a document) and never panics on a request: a bad parameter is
//! a 400 that says what is wrong.
pub mod http;
pub mod page;
pub mod params;

use std::io::{self, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Semaphore;

use crate::export::{self, FollowUps, Format};
use crate::follow::Link;
use crate::index::{Counts, Hit, Index, IngestInfo};
use crate::records::{DocumentRecord, Record};
use http::{Request, Response, MAX_HEAD_BYTES};
use page::Body;
use params::{BadRequest, Form, SearchParams};

/// Connections open at once; more wait in the listen queue. Browsers open spare connections and keep
/// idle ones alive, and each costs a task and a socket, so this can be generous.
const MAX_CONNECTIONS: usize = 512;
/// How long a client may take to send a request head, however it trickles in; it also ends a
/// kept-alive connection that sends nothing.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// The longest a connection lives, however busy: bounds a client that reads a download byte by byte.
const CONNECTION_DEADLINE: Duration = Duration::from_secs(600);

/// A bound listener and the archive it answers from.
pub struct Server {
    listener: std::net::TcpListener,
    archive: Arc<Archive>,
}

/// The index a server answers from, and the follow-up links found in it, found again when the index
/// has changed.
pub struct Archive {
    index: Index,
    links: std::sync::Mutex<Option<(u64, Arc<[Link]>)>>,
}

impl Archive {
    pub fn new(index: Index) -> Archive {
        Archive { index, links: std::sync::Mutex::new(None) }
    }

    /// The follow-up links of the index as it is now.
    fn links(&self) -> Result<Arc<[Link]>, String> {
        let generation = self.index.generation();
        // A poisoned lock means a panic while finding links, a bug already reported: find them again.
        let mut cached = self.links.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, links)) = cached.as_ref().filter(|(seen, _)| *seen == generation) {
            return Ok(links.clone());
        }
        let links: Arc<[Link]> = crate::follow::links_in(&self.index).map_err(|e| e.to_string())?.into();
        *cached = Some((generation, links.clone()));
        Ok(links)
    }
}

impl Server {
    /// Listen on `addr` (port 0 picks a free port) and answer from `index`.
    pub fn bind(index: Index, addr: impl ToSocketAddrs) -> io::Result<Server> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        Ok(Server { listener, archive: Arc::new(Archive::new(index)) })
    }

    /// The address actually listened on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serve until the process ends; a request line for each request goes to standard error. Returns
    /// only when the runtime cannot be started.
    pub fn run(self) -> io::Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)?;
            let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
            loop {
                let Ok(permit) = open.clone().acquire_owned().await else { return Ok(()) };
                let stream = match listener.accept().await {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: say so, and give the system a moment.
                        log(format_args!("arkiv serve: cannot accept a connection: {e}"));
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let archive = self.archive.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| answer(archive.clone(), request));
                    let connection = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(HEAD_DEADLINE)
                        .max_buf_size(MAX_HEAD_BYTES)
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service);
                    // A connection that fails or runs out of time is the client's business: it ends.
                    let _ = tokio::time::timeout(CONNECTION_DEADLINE, connection).await;
                    drop(permit);
                });
            }
        })
    }
}

/// One request: its route runs on the blocking pool; the answer and a log line come back.
async fn answer(
    archive: Arc<Archive>,
    request: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<http_body_util::Full<hyper::body::Bytes>>, std::convert::Infallible> {
    let started = Instant::now();
    let request = Request::from_hyper(&request);
    let line = format!("{} {}", request.method, target(&request));
    // A panic in a route is a bug in arkiv (`respond` never panics on any request, and the tests call
    // it without catching): the panic hook prints it, tokio's blocking pool reports it as a failed
    // task, and the client gets a 500 instead of a dropped connection.
    let response =
        tokio::task::spawn_blocking(move || respond(&archive, &request)).await.unwrap_or_else(|_| {
            log(format_args!(
                "arkiv serve: a bug in arkiv failed {line}; please report it with the message above"
            ));
            Response::text(500, "Internt fel i arkiv: sökningen misslyckades.")
        });
    log(format_args!(
        "{} {line} {} {} ms",
        response.status,
        response.body.len(),
        started.elapsed().as_millis()
    ));
    Ok(response.into_hyper())
}

/// A line on standard error. Unlike `eprintln!` it never panics: a closed log must not stop serving.
fn log(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr(), "{line}");
}

fn target(r: &Request) -> String {
    if r.query.is_empty() {
        r.path.clone()
    } else {
        format!("{}?{}", r.path, r.query)
    }
}

/// The response to one request: routing and the three answers. Never panics on any request.
pub fn respond(archive: &Archive, request: &Request) -> Response {
    let index = &archive.index;
    if request.method != "GET" && request.method != "HEAD" {
        return Response::text(405, "Endast GET används här.").with_header("Allow", "GET, HEAD".into());
    }
    let form = Form::from_query(&request.query);
    let path = request.path.as_str();
    // A document id is plain ASCII (doc- and hex digits), so its path segment needs no decoding.
    if let Some(doc_id) = path.strip_prefix("/doc/") {
        return document_page(archive, doc_id, &form);
    }
    if let Some(doc_id) = path.strip_prefix("/api/doc/") {
        return api_document(index, doc_id);
    }
    if let Some(doc_id) = path.strip_prefix("/file/") {
        return original_file(index, doc_id);
    }
    match path {
        "/" => html(200, page::render_noted(&form, Body::Nothing, index.being_built())),
        "/search" => search_page(index, &form),
        "/api/search" => api_search(index, &form),
        "/api/facets" => api_facets(index, &form),
        "/export" => export_download(archive, &form),
        _ => Response::text(404, &format!("Sidan {} finns inte. Sök på /.", request.path)),
    }
}

fn json_error(status: u16, message: &str) -> Response {
    Response::new(status, http::JSON, serde_json::json!({ "error": message }).to_string())
}

/// A document's records, or a message for a 404 when the index holds none under `doc_id`.
fn document_records(index: &Index, doc_id: &str) -> Result<(Vec<Record>, IngestInfo), (u16, String)> {
    let not_found = || (404, format!("Dokumentet {doc_id} finns inte i arkivet."));
    if doc_id.is_empty()
        || doc_id.len() > 100
        || !doc_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(not_found());
    }
    match index.document_records(doc_id) {
        Ok((records, _)) if records.is_empty() => Err(not_found()),
        Ok(found) => Ok(found),
        Err(e) => Err((500, format!("Dokumentet kunde inte läsas: {e}"))),
    }
}

/// The paths the index recorded for a document: where it was first read, then every other path
/// holding the same file.
fn recorded_paths(document: &DocumentRecord) -> Vec<String> {
    let mut paths: Vec<String> = Vec::with_capacity(document.paths.len() + 1);
    for path in std::iter::once(&document.source.path).chain(&document.paths) {
        if !paths.contains(path) {
            paths.push(path.clone());
        }
    }
    paths
}

/// The document record among a document's records (the first, in document order).
fn document_of(records: &[Record]) -> Option<&DocumentRecord> {
    match records.first() {
        Some(Record::Document(d)) => Some(d),
        _ => None,
    }
}

fn document_page(archive: &Archive, doc_id: &str, form: &Form) -> Response {
    let index = &archive.index;
    let (records, info) = match document_records(index, doc_id) {
        Ok(found) => found,
        Err((status, message)) => return html(status, page::render(form, Body::Error(&message))),
    };
    let paths: Vec<(String, bool)> = document_of(&records)
        .map(recorded_paths)
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            let present = Path::new(&p).is_file();
            (p, present)
        })
        .collect();
    let q = form.q.trim();
    let highlighter = if q.is_empty() { None } else { index.highlighter(q).ok() };
    let mark = |text: &str| highlighter.as_ref().map_or_else(|| text.to_string(), |h| h.mark(text));
    // Without the links the view is still worth showing: say why they are missing in the log.
    let notes = follow_notes(archive, &records).unwrap_or_else(|e| {
        log(format_args!("arkiv serve: no follow-ups for {doc_id}: {e}"));
        Default::default()
    });
    let view =
        page::document::View { records: &records, info: &info, paths: &paths, q, mark: &mark, notes: &notes };
    match page::document::render(&view) {
        Some(body) => html(200, body),
        None => {
            html(404, page::render(form, Body::Error(&format!("Dokumentet {doc_id} finns inte i arkivet."))))
        }
    }
}

/// The follow-up links that start or end at one of `records` (one document's), each with what the
/// view says of the record at its other end.
fn follow_notes(
    archive: &Archive,
    records: &[Record],
) -> Result<rustc_hash::FxHashMap<String, Vec<page::document::Note>>, String> {
    let links = archive.links()?;
    let ids: std::collections::HashSet<&str> = records.iter().map(Record::id).collect();
    let mut others: rustc_hash::FxHashMap<String, Vec<Record>> = Default::default();
    let mut notes: rustc_hash::FxHashMap<String, Vec<page::document::Note>> = Default::default();
    for link in links.iter() {
        let (here, other, other_doc, later) = if ids.contains(link.from.as_str()) {
            (&link.from, &link.to, &link.to_doc, true)
        } else if ids.contains(link.to.as_str()) {
            (&link.to, &link.from, &link.from_doc, false)
        } else {
            continue;
        };
        if !others.contains_key(other_doc) {
            let (found, _) = archive.index.document_records(other_doc).map_err(|e| e.to_string())?;
            others.insert(other_doc.clone(), found);
        }
        let other_records = others.get(other_doc).map_or(&[][..], Vec::as_slice);
        let section_id = other_records.iter().find(|r| r.id() == other).and_then(|r| match r {
            Record::Goal(g) => g.section_id.as_deref(),
            Record::Activity(a) => a.section_id.as_deref(),
            _ => None,
        });
        let section = other_records.iter().find_map(|r| match r {
            Record::Section(s) if Some(s.id.as_str()) == section_id => {
                Some(s.number.clone().unwrap_or_else(|| s.heading.clone()))
            }
            _ => None,
        });
        notes.entry(here.clone()).or_default().push(page::document::Note {
            later,
            status: if later { link.to_status } else { link.from_status },
            year: if later { link.to_year } else { link.from_year },
            doc_id: other_doc.clone(),
            record_id: other.clone(),
            doc_title: document_of(other_records).map(|d| d.title.clone()).unwrap_or_default(),
            section,
        });
    }
    Ok(notes)
}

fn api_document(index: &Index, doc_id: &str) -> Response {
    match document_records(index, doc_id) {
        Ok((records, info)) => {
            let json = serde_json::json!({ "doc_id": doc_id, "ingest": info, "records": records });
            Response::new(200, http::JSON, json.to_string())
        }
        Err((status, message)) => json_error(status, &message),
    }
}

/// The largest original file served, in bytes: the archive's PDFs are a few megabytes.
const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The original file of a document, from the first path the index recorded for it that still holds
/// the same bytes (by SHA-256). Never a path from the request.
fn original_file(index: &Index, doc_id: &str) -> Response {
    let (records, _) = match document_records(index, doc_id) {
        Ok(found) => found,
        Err((status, message)) => return Response::text(status, &message),
    };
    let Some(document) = document_of(&records) else {
        return Response::text(404, &format!("Dokumentet {doc_id} finns inte i arkivet."));
    };
    let paths = recorded_paths(document);
    let mut changed = Vec::new();
    for path in &paths {
        let path = Path::new(path);
        let Ok(meta) = std::fs::metadata(path) else { continue };
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
            continue;
        }
        let Ok(bytes) = std::fs::read(path) else { continue };
        if crate::ingest::sha256_hex(&bytes) != document.source.sha256 {
            changed.push(path.display().to_string());
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().replace(['"', '\\', '\r', '\n'], "_"))
            .unwrap_or_default();
        let content_type =
            match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
                Some("pdf") => "application/pdf",
                Some("html" | "htm") => "text/html; charset=utf-8",
                Some("txt" | "md") => http::TEXT,
                _ => "application/octet-stream",
            };
        // Always a download, never shown inline: a saved web page must not run as this site's page.
        return Response::new(200, content_type, bytes)
            .with_header("Content-Disposition", format!("attachment; filename=\"{name}\""));
    }
    let message = if changed.is_empty() {
        format!("Originalfilen finns inte längre på {}.", paths.join(", "))
    } else {
        format!(
            "Filen på {} har ändrats sedan den lästes in; läs in den igen med arkiv ingest.",
            changed.join(", ")
        )
    };
    Response::text(410, &message)
}

fn api_facets(index: &Index, form: &Form) -> Response {
    let params = match form.search() {
        Ok(params) => params,
        Err(BadRequest(message)) => return json_error(400, &message),
    };
    match index.counts(&params.q, &params.filter()) {
        Ok(counts) => Response::new(200, http::JSON, counts.to_json().to_string()),
        Err(e) => json_error(500, &format!("Sökningen misslyckades: {e}")),
    }
}

fn html(status: u16, body: String) -> Response {
    Response::new(status, http::HTML, body)
}

fn search_page(index: &Index, form: &Form) -> Response {
    let params = match form.search() {
        Ok(params) => params,
        Err(BadRequest(message)) => return html(400, page::render(form, Body::Error(&message))),
    };
    match search(index, &params) {
        Ok((hits, counts)) => {
            let suggestion =
                if hits.is_empty() && !params.q.is_empty() { index.suggest(&params.q) } else { None };
            let body = Body::Hits {
                params: &params,
                hits: &hits,
                counts: Some(&counts),
                suggestion: suggestion.as_deref(),
            };
            html(200, page::render_noted(form, body, index.being_built()))
        }
        Err(message) => html(500, page::render(form, Body::Error(&message))),
    }
}

fn api_search(index: &Index, form: &Form) -> Response {
    let params = match form.search() {
        Ok(params) => params,
        Err(BadRequest(message)) => return json_error(400, &message),
    };
    match search(index, &params) {
        Ok((hits, counts)) => {
            let mut json = counts.to_json();
            json["hits"] = hits.iter().map(Hit::to_json).collect();
            json["page"] = params.page.into();
            Response::new(200, http::JSON, json.to_string())
        }
        Err(message) => json_error(500, &message),
    }
}

/// The records matching the form's query and filters, all of them. With a query they come in rank
/// order (what the page shows, without its limit); without one, in archive order as `arkiv export`.
fn export_download(archive: &Archive, form: &Form) -> Response {
    let index = &archive.index;
    let checked = form.search().and_then(|params| Ok((params, form.format()?)));
    let (params, format) = match checked {
        Ok(checked) => checked,
        Err(BadRequest(message)) => return Response::text(400, &message),
    };
    let records = if params.q.is_empty() {
        index.export(&params.filter())
    } else {
        index
            .search(&params.q, &params.filter(), usize::MAX)
            .map(|hits| hits.into_iter().map(|h| (h.record, h.context)).collect())
    };
    let links = match archive.links() {
        Ok(links) => links,
        Err(e) => return Response::text(500, &format!("Exporten misslyckades: {e}")),
    };
    let mut body = Vec::new();
    let options = export::Options::new(format);
    let written =
        records.and_then(|records| export::write(&mut body, &records, &FollowUps::new(&links), options));
    if let Err(e) = written {
        return Response::text(500, &format!("Exporten misslyckades: {e}"));
    }
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Json => (http::JSON, "json"),
        Format::Jsonl => ("application/x-ndjson; charset=utf-8", "jsonl"),
        Format::Parquet => ("application/vnd.apache.parquet", "parquet"),
    };
    Response::new(200, content_type, body)
        .with_header("Content-Disposition", format!("attachment; filename=\"arkiv-export.{extension}\""))
}

/// One page of hits and the counts of all matches.
fn search(index: &Index, params: &SearchParams) -> Result<(Vec<Hit>, Counts), String> {
    index
        .page(&params.q, &params.filter(), params.sort, params.offset(), params.limit)
        .map_err(|e| format!("Sökningen misslyckades: {e}"))
}

#[cfg(test)]
mod tests;
