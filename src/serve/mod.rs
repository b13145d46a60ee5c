//! `arkiv serve`: the index behind a small HTTP server, so staff can search from a browser.
//!
//! Routes: `/` the search page; `/search` the page with hits; `/api/search` the hits as JSON (the
//! fields of `arkiv search --json`); `/export` the matching records as CSV, JSON or JSON Lines, for
//! download. The index is opened once by the caller and only read; each request runs one search on it.
//!
//! The server is built on `std::net` and a fixed pool of worker threads: the page is for a handful of
//! people on a local network, which needs neither keep-alive nor TLS nor a framework (see [`http`]).
//! This module never writes to the index, never serves files from disk and never panics on a request:
//! a bad parameter is a 400 that says what is wrong.

pub mod http;
pub mod page;
pub mod params;

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use crate::index::export::{self, Format};
use crate::index::{Hit, Index};
use http::{ReadError, Request, Response};
use page::Body;
use params::{BadRequest, Form, SearchParams};

/// Connections handled at once; more wait in the listen queue. Browsers open spare connections they
/// may never use, each holding a worker until [`HEAD_DEADLINE`], so there are more workers than
/// searches that ever run together. An idle worker is a blocked thread and costs next to nothing.
const WORKERS: usize = 16;
/// How long a client may take to send its whole request head, however it trickles in.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// How long, and how much, to keep reading after the response, so the client gets to read it.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: u64 = 256 * 1024;
/// How long a client may take over each write of the response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// A bound listener and the index it answers from.
pub struct Server {
    listener: TcpListener,
    index: Index,
}

impl Server {
    /// Listen on `addr` (port 0 picks a free port) and answer from `index`.
    pub fn bind(index: Index, addr: impl ToSocketAddrs) -> io::Result<Server> {
        Ok(Server { listener: TcpListener::bind(addr)?, index })
    }

    /// The address actually listened on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serve until the process ends; a request line for each request goes to standard error. Returns
    /// only when the workers cannot be started.
    pub fn run(self) -> io::Result<()> {
        let listeners = (0..WORKERS).map(|_| self.listener.try_clone()).collect::<io::Result<Vec<_>>>()?;
        let index = &self.index;
        std::thread::scope(|scope| {
            for listener in listeners {
                scope.spawn(move || accept_loop(index, &listener));
            }
        });
        Ok(())
    }
}

fn accept_loop(index: &Index, listener: &TcpListener) {
    loop {
        match listener.accept() {
            Ok((stream, _)) => serve_connection(index, stream),
            Err(e) => {
                // Out of file descriptors and the like: say so, and give the system a moment.
                log(format_args!("arkiv serve: cannot accept a connection: {e}"));
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

fn serve_connection(index: &Index, mut stream: TcpStream) {
    let started = Instant::now();
    if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    let mut input = Deadline { stream: &stream, at: started + HEAD_DEADLINE };
    let (request, response) = match http::read_request(&mut input) {
        Ok(request) => {
            // Belt and braces: a bug in a handler is a 500 for that request, not a dead worker.
            let response = catch_unwind(AssertUnwindSafe(|| respond(index, &request)))
                .unwrap_or_else(|_| Response::text(500, "Internt fel: sökningen misslyckades."));
            (Some(request), response)
        }
        Err(ReadError::Closed | ReadError::Io(_)) => return,
        Err(ReadError::TooLarge) => (None, Response::text(431, "Förfrågan är för stor.")),
        Err(ReadError::Malformed(why)) => {
            (None, Response::text(400, &format!("Ogiltig HTTP-förfrågan: {why}.")))
        }
    };
    let head_only = request.as_ref().is_some_and(|r| r.method == "HEAD");
    // The client may have gone; there is no one left to tell.
    if response.write_to(&mut stream, head_only).is_ok() {
        linger(&stream);
    }
    let line = request.map_or_else(|| "-".to_string(), |r| format!("{} {}", r.method, target(&r)));
    log(format_args!(
        "{} {line} {} {} ms",
        response.status,
        response.body.len(),
        started.elapsed().as_millis()
    ));
}

/// A line on standard error. Unlike `eprintln!` it never panics: a closed log must not stop serving.
fn log(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr(), "{line}");
}

/// Close gently: say we are done writing, then discard what the client still sends (a body, the rest
/// of a head too large to read) for a moment. Closing a socket with unread input resets the
/// connection, and the client may then lose the response it has not read yet, a 400 or 431 included.
fn linger(stream: &TcpStream) {
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let input = Deadline { stream, at: Instant::now() + LINGER };
    let _ = io::copy(&mut input.take(LINGER_BYTES), &mut io::sink());
}

/// A stream whose reads all end by one instant: a socket timeout alone restarts on every byte, so a
/// client sending one byte a second could hold a worker for hours.
struct Deadline<'a> {
    stream: &'a TcpStream,
    at: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.at.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "the request took too long"));
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

fn target(r: &Request) -> String {
    if r.query.is_empty() {
        r.path.clone()
    } else {
        format!("{}?{}", r.path, r.query)
    }
}

/// The response to one request: routing and the three answers. Never panics on any request.
pub fn respond(index: &Index, request: &Request) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        return Response::text(405, "Endast GET används här.").with_header("Allow", "GET, HEAD".into());
    }
    let form = Form::from_query(&request.query);
    match request.path.as_str() {
        "/" => html(200, page::render_noted(&form, Body::Nothing, index.being_built())),
        "/search" => search_page(index, &form),
        "/api/search" => api_search(index, &form),
        "/export" => export_download(index, &form),
        _ => Response::text(404, &format!("Sidan {} finns inte. Sök på /.", request.path)),
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
        Ok(hits) => {
            let suggestion =
                if hits.is_empty() && !params.q.is_empty() { index.suggest(&params.q) } else { None };
            // Counted only when the list is cut: otherwise the hits are all there is.
            let total =
                if hits.len() == params.limit { index.count(&params.q, &params.filter()).ok() } else { None };
            let body = Body::Hits { params: &params, hits: &hits, total, suggestion: suggestion.as_deref() };
            html(200, page::render_noted(form, body, index.being_built()))
        }
        Err(message) => html(500, page::render(form, Body::Error(&message))),
    }
}

fn api_search(index: &Index, form: &Form) -> Response {
    let json_error = |status, message: &str| {
        Response::new(status, http::JSON, serde_json::json!({ "error": message }).to_string())
    };
    let params = match form.search() {
        Ok(params) => params,
        Err(BadRequest(message)) => return json_error(400, &message),
    };
    let answer = search(index, &params).and_then(|hits| {
        let filter = params.filter();
        let failed = |e: crate::error::Error| format!("Sökningen misslyckades: {e}");
        let counts = index.counts(&params.q, &filter).map_err(failed)?;
        Ok(serde_json::json!({
            "total": counts.total,
            "hits": hits.iter().map(Hit::to_json).collect::<Vec<_>>(),
            "by_year": crate::index::year_rows(&counts.by_year).iter().map(|r| r.to_json()).collect::<Vec<_>>(),
        }))
    });
    match answer {
        Ok(json) => Response::new(200, http::JSON, json.to_string()),
        Err(message) => json_error(500, &message),
    }
}

/// The records matching the form's query and filters, all of them. With a query they come in rank
/// order (what the page shows, without its limit); without one, in archive order as `arkiv export`.
fn export_download(index: &Index, form: &Form) -> Response {
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
    let mut body = Vec::new();
    if let Err(e) = records.and_then(|records| export::write(&mut body, &records, format)) {
        return Response::text(500, &format!("Exporten misslyckades: {e}"));
    }
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Json => (http::JSON, "json"),
        Format::Jsonl => ("application/x-ndjson; charset=utf-8", "jsonl"),
    };
    Response::new(200, content_type, body)
        .with_header("Content-Disposition", format!("attachment; filename=\"arkiv-export.{extension}\""))
}

fn search(index: &Index, params: &SearchParams) -> Result<Vec<Hit>, String> {
    index
        .search_sorted(&params.q, &params.filter(), params.limit, params.sort)
        .map_err(|e| format!("Sökningen misslyckades: {e}"))
}

#[cfg(test)]
mod tests;
