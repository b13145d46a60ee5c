//! `arkiv serve`: the index behind an HTTP server, so staff can search from a browser.
//!
//! Routes: `/` the search page; `/search` the page with hits; `/doc/{doc_id}` one document's view;
//! `/file/{doc_id}` its original file; `/api/search`, `/api/doc/{doc_id}` and `/api/facets` the same
//! as JSON; `/export` the matching records as CSV, JSON or JSON Lines, for download; `/chart.js` the
//! page's one script. The index is opened once by the caller and only read.
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
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Semaphore;

use crate::index::export::{self, Format};
use crate::index::{Hit, Index};
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

/// A bound listener and the index it answers from.
pub struct Server {
    listener: std::net::TcpListener,
    index: Arc<Index>,
}

impl Server {
    /// Listen on `addr` (port 0 picks a free port) and answer from `index`.
    pub fn bind(index: Index, addr: impl ToSocketAddrs) -> io::Result<Server> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        Ok(Server { listener, index: Arc::new(index) })
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
                let index = self.index.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| answer(index.clone(), request));
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
    index: Arc<Index>,
    request: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<http_body_util::Full<hyper::body::Bytes>>, std::convert::Infallible> {
    let started = Instant::now();
    let request = Request::from_hyper(&request);
    let line = format!("{} {}", request.method, target(&request));
    let response = tokio::task::spawn_blocking(move || {
        // Belt and braces: a bug in a handler is a 500 for that request, not a dead connection.
        catch_unwind(AssertUnwindSafe(|| respond(&index, &request)))
            .unwrap_or_else(|_| Response::text(500, "Internt fel: sökningen misslyckades."))
    })
    .await
    .unwrap_or_else(|_| Response::text(500, "Internt fel: sökningen misslyckades."));
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
