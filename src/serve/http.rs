//! The HTTP layer between hyper and the routes: a request as the routes see it, a response as they make
//! it, and the conversion to and from hyper's types with the headers every response gets.
//!
//! hyper (see [`super::Server`]) reads and writes the connections: HTTP/1.1 with keep-alive, a deadline
//! for each request head, a bound on its size, and a 400 or 431 for what is not a request. Only `GET`
//! and `HEAD` are served, which need no request body. This module never looks at what a path or a
//! parameter means.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderName, HeaderValue};

/// The largest request head (request line and headers) hyper buffers; browsers send well under 2 KiB.
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

impl Request {
    /// The parts of a hyper request that the routes read.
    pub fn from_hyper<B>(request: &hyper::Request<B>) -> Request {
        let uri = request.uri();
        Request {
            method: request.method().as_str().to_string(),
            path: uri.path().to_string(),
            query: uri.query().unwrap_or("").to_string(),
        }
    }
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

    /// The response for hyper, with the headers every response gets (hyper adds the length, and drops
    /// the body of an answer to `HEAD`).
    pub fn into_hyper(self) -> hyper::Response<Full<Bytes>> {
        let mut response = hyper::Response::new(Full::new(Bytes::from(self.body)));
        *response.status_mut() =
            hyper::StatusCode::from_u16(self.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        let fixed = [
            ("content-type", self.content_type),
            // The pages need nothing but their own inline style: forbid everything else, so even an
            // escaping mistake could not run a script or load anything.
            ("content-security-policy", CONTENT_SECURITY_POLICY),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
            ("cache-control", "no-store"),
        ];
        for (name, value) in fixed {
            headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        for (name, value) in self.headers {
            // Our own header values; one that is not valid in HTTP is left out, never sent broken.
            if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
                headers.append(name, value);
            }
        }
        response
    }
}

/// What the pages may do: use their inline style and send forms to this server; nothing else, no
/// script included.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_gets_its_type_security_headers_and_extra_headers() {
        let response = Response::new(200, TEXT, "hej")
            .with_header("Content-Disposition", "attachment; filename=\"x.csv\"".into())
            .with_header("Bad", "line\nbreak".into())
            .into_hyper();
        assert_eq!(response.status(), 200);
        let headers = response.headers();
        assert_eq!(headers["content-type"], TEXT);
        assert!(headers["content-security-policy"]
            .to_str()
            .is_ok_and(|v| v.starts_with("default-src 'none'")));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["content-disposition"], "attachment; filename=\"x.csv\"");
        assert!(headers.get("bad").is_none(), "a value with a line break is never sent");
    }

    #[test]
    fn a_request_keeps_its_path_and_encoded_query() {
        let request = hyper::Request::get("/search?q=v%C3%A5ld&year=2018").body(()).expect("request");
        let request = Request::from_hyper(&request);
        assert_eq!((request.method.as_str(), request.path.as_str()), ("GET", "/search"));
        assert_eq!(request.query, "q=v%C3%A5ld&year=2018");
    }
}
