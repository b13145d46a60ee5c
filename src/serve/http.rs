//! Just enough HTTP/1.x for a search page: read one request's head, write one whole response, close.
//!
//! Every read is bounded in size here and in time by the caller's socket timeouts, so a slow or
//! hostile client costs one worker a few seconds at most. Only `GET` and `HEAD` are served, which need
//! no request body. This module never looks at what a path or a parameter means.

use std::io::{self, Read, Write};

/// The largest request head (request line and headers) read; browsers send well under 2 KiB.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// A request's line, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path, still percent-encoded (every path served is plain ASCII).
    pub path: String,
    /// What follows `?`, still encoded; empty when there is none.
    pub query: String,
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The client closed the connection before sending anything (browsers open spare connections).
    Closed,
    /// The head is larger than [`MAX_HEAD_BYTES`].
    TooLarge,
    /// Not an HTTP request; the message says why.
    Malformed(&'static str),
    /// The socket failed or timed out.
    Io(io::Error),
}

/// Read one request head from `input` and parse its request line.
pub fn read_request(input: &mut impl Read) -> Result<Request, ReadError> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    // Read the whole head even though only its first line matters: closing a socket with unread
    // input makes the kernel reset the connection, and the client may lose the response.
    loop {
        let n = match input.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ReadError::Io(e)),
        };
        if n == 0 {
            return Err(if head.is_empty() {
                ReadError::Closed
            } else {
                ReadError::Malformed("the request ended before its headers did")
            });
        }
        // Only the new bytes and the three before them can complete the blank line.
        let searched = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        if has_blank_line(&head[searched..]) {
            break;
        }
        if head.len() > MAX_HEAD_BYTES {
            return Err(ReadError::TooLarge);
        }
    }
    let line_end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let line = std::str::from_utf8(&head[..line_end])
        .map_err(|_| ReadError::Malformed("the request line is not text"))?;
    parse_request_line(line.trim_end_matches('\r'))
}

/// True when `buf` holds the blank line that ends a head.
fn has_blank_line(buf: &[u8]) -> bool {
    // Tolerate bare `\n` line ends, as most servers do.
    buf.windows(2).any(|w| w == b"\n\n") || buf.windows(4).any(|w| w == b"\r\n\r\n")
}

fn parse_request_line(line: &str) -> Result<Request, ReadError> {
    let mut parts = line.split(' ').filter(|p| !p.is_empty());
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed("the request line is not METHOD TARGET VERSION"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(ReadError::Malformed("only HTTP/1.0 and HTTP/1.1 are served"));
    }
    if !target.starts_with('/') {
        return Err(ReadError::Malformed("the request target must be a path starting with /"));
    }
    // A fragment never reaches a server from a browser; drop one from a hand-written request.
    let target = target.split_once('#').map_or(target, |(t, _)| t);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Request { method: method.to_string(), path: path.to_string(), query: query.to_string() })
}

/// A complete response, body in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    /// Headers besides the ones every response gets.
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

pub const HTML: &str = "text/html; charset=utf-8";
pub const TEXT: &str = "text/plain; charset=utf-8";
pub const JSON: &str = "application/json; charset=utf-8";

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response { status, content_type, headers: Vec::new(), body: body.into() }
    }

    /// A plain-text message, for errors outside the page.
    pub fn text(status: u16, message: &str) -> Response {
        Response::new(status, TEXT, format!("{message}\n"))
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }

    /// Write the response; without the body when `head_only` (a `HEAD` request).
    pub fn write_to(&self, out: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        // The page needs nothing but its own inline style: forbid everything else, so even an
        // escaping mistake could not run a script or load anything.
        head.push_str(
            "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; form-action 'self'\r\n\
             X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nCache-Control: no-store\r\n",
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Request, ReadError> {
        read_request(&mut &bytes[..])
    }

    #[test]
    fn reads_a_browser_request() {
        let request =
            read(b"GET /search?q=kvinnofrid&from=2012 HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n")
                .expect("request");
        assert_eq!(
            request,
            Request { method: "GET".into(), path: "/search".into(), query: "q=kvinnofrid&from=2012".into() }
        );
        let request = read(b"HEAD /#top HTTP/1.0\n\n").expect("bare newlines");
        assert_eq!(
            (request.method.as_str(), request.path.as_str(), request.query.as_str()),
            ("HEAD", "/", "")
        );
    }

    /// A reader that hands out its bytes a few at a time, as a slow network does.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(3).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn reads_a_head_that_arrives_in_pieces() {
        let request =
            read_request(&mut Trickle(b"GET /api/search?q=x HTTP/1.1\r\nHost: y\r\n\r\n")).expect("request");
        assert_eq!(request.path, "/api/search");
    }

    #[test]
    fn rejects_what_is_not_a_request() {
        assert!(matches!(read(b""), Err(ReadError::Closed)));
        assert!(matches!(read(b"GET / HTTP/1.1\r\nHost"), Err(ReadError::Malformed(_))));
        assert!(matches!(read(b"GET /\r\n\r\n"), Err(ReadError::Malformed(_))));
        assert!(matches!(read(b"GET http://evil/ HTTP/1.1\r\n\r\n"), Err(ReadError::Malformed(_))));
        assert!(matches!(read(b"GET / SPDY/3\r\n\r\n"), Err(ReadError::Malformed(_))));
        assert!(matches!(read(b"GET /\xff HTTP/1.1\r\n\r\n"), Err(ReadError::Malformed(_))));
        let mut huge = b"GET / HTTP/1.1\r\n".to_vec();
        huge.extend(std::iter::repeat_n(b'a', MAX_HEAD_BYTES));
        assert!(matches!(read(&huge), Err(ReadError::TooLarge)));
    }

    #[test]
    fn writes_status_length_and_headers() {
        let response = Response::text(404, "nothing here")
            .with_header("Content-Disposition", "attachment; filename=\"x.csv\"".into());
        let mut out = Vec::new();
        response.write_to(&mut out, false).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains("Content-Length: 13\r\n"));
        assert!(text.contains("Content-Disposition: attachment; filename=\"x.csv\"\r\n"));
        assert!(text.ends_with("\r\n\r\nnothing here\n"));

        let mut out = Vec::new();
        response.write_to(&mut out, true).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("Content-Length: 13\r\n") && text.ends_with("\r\n\r\n"), "{text}");
    }
}
