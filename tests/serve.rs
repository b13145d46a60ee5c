//! `arkiv serve` over a real socket: ingest the fixtures into a temporary index, start the server on a
//! free loopback port, and ask it a bounded number of plain HTTP/1.0 requests.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{arkiv, stderr};
use serde_json::Value;

/// How long the server may take to start, and a request to be answered.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running `arkiv serve`, killed when dropped, also when a test panics.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(index: &Path) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_arkiv"))
            .args(["serve", "--addr", "127.0.0.1:0", "--index"])
            .arg(index)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start arkiv serve");
        let mut server = Server { child, addr: SocketAddr::from(([127, 0, 0, 1], 0)) };
        let stdout = server.child.stdout.take().expect("piped stdout");
        // Read the first line on a thread, so a server that never prints fails the test, not hangs it.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(PATIENCE).expect("the server prints its address");
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        server.addr = addr.parse().expect("a socket address");
        assert!(server.addr.ip().is_loopback());
        server
    }

    /// `GET target` over HTTP/1.0: the status, the head and the body.
    fn get(&self, target: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect_timeout(&self.addr, PATIENCE).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        write!(stream, "GET {target} HTTP/1.0\r\nHost: {}\r\n\r\n", self.addr).expect("send");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read the response");
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a head and a body");
        let head = String::from_utf8(response[..split].to_vec()).expect("head is text");
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status code");
        (status, head, response[split + 4..].to_vec())
    }

    fn get_text(&self, target: &str) -> (u16, String) {
        let (status, _, body) = self.get(target);
        (status, String::from_utf8(body).expect("UTF-8 body"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An index of the fixtures and one short note about *kvinnofrid*, so a search has hits whatever
/// parts of the documents are indexed.
fn ingest(dir: &Path) -> std::path::PathBuf {
    let note = dir.join("kvinnofrid.md");
    std::fs::write(
        &note,
        "# Kvinnofrid i kommunerna\n\nKommunernas arbete för kvinnofrid följs upp varje år.\n",
    )
    .expect("write the note");
    let index = dir.join("index");
    let (index_arg, note_arg) = (index.to_string_lossy(), note.to_string_lossy());
    let out = arkiv(&["ingest", "fixtures", &note_arg, "--index", &index_arg]);
    assert!(out.status.success(), "ingest: {}", stderr(&out));
    index
}

#[test]
fn serves_the_page_the_api_and_exports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&ingest(dir.path()));

    let (status, html) = server.get_text("/");
    assert_eq!(status, 200);
    assert!(html.contains("<form action=\"/search\" method=\"get\""), "{html}");
    assert!(html.contains("name=\"q\"") && html.contains("name=\"from\"") && html.contains("name=\"kind\""));

    let (status, html) = server.get_text("/search?q=kvinnofrid");
    assert_eq!(status, 200);
    assert!(html.contains("<mark>"), "{html}");
    assert!(html.contains("kvinnofrid.md"), "the hit's source path is shown");

    // Percent-encoded UTF-8, and folding: both spellings find the report's title.
    for q in ["j%C3%A4mst%C3%A4lldhetsarbetet", "jamstalldhetsarbetet"] {
        let (status, html) = server.get_text(&format!("/search?q={q}&type=&kind=document"));
        assert_eq!(status, 200);
        assert!(html.contains("resultatrapport-2018.pdf") && html.contains("<mark>"), "{q}: {html}");
    }

    let (status, json) = server.get_text("/api/search?q=kvinnofrid&limit=5");
    assert_eq!(status, 200);
    let answer: Value = serde_json::from_str(&json).expect("JSON");
    let hits = answer["hits"].as_array().expect("hits");
    assert!(!hits.is_empty() && hits.len() <= 5);
    assert!(answer["total"].as_u64().is_some_and(|n| n >= hits.len() as u64), "{answer}");
    for hit in hits {
        assert!(hit["id"].is_string() && hit["snippet"].is_string() && hit["doc_title"].is_string(), "{hit}");
    }

    let (status, head, csv) = server.get("/export?format=csv");
    assert_eq!(status, 200);
    let head = head.to_ascii_lowercase();
    assert!(head.contains("content-disposition: attachment; filename=\"arkiv-export.csv\""), "{head}");
    let csv = String::from_utf8(csv).expect("UTF-8 CSV");
    assert!(csv.starts_with("id,kind,doc_id,"), "{csv}");
    for fixture in ["cirkular-12-13-2012.pdf", "resultatrapport-2018.pdf", "webb-2021-jamstalldhet.html"] {
        assert!(csv.contains(fixture), "{fixture} exported");
    }

    let (status, html) = server.get_text("/search?q=kvinnofrid&from=tjugo");
    assert_eq!(status, 400);
    assert!(html.contains("inte ett årtal"), "{html}");

    let (status, html) = server.get_text("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert_eq!(status, 200);
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    assert_eq!(server.get("/etc/passwd").0, 404);
}

#[test]
fn a_missing_index_is_a_clear_error_at_startup() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("none");
    let mut child = Command::new(env!("CARGO_BIN_EXE_arkiv"))
        .args(["serve", "--addr", "127.0.0.1:0", "--index"])
        .arg(&missing)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start arkiv serve");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("arkiv serve kept running without an index");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut message = String::new();
    child.stderr.take().expect("piped stderr").read_to_string(&mut message).expect("stderr");
    assert_eq!(status.code(), Some(2));
    assert!(message.contains("no index in") && message.contains("run `arkiv ingest` first"), "{message}");
}

#[test]
fn the_page_sees_each_new_ingest_without_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = ingest(dir.path());
    let server = Server::start(&index);
    let hits = |q: &str| {
        let (status, json) = server.get_text(&format!("/api/search?q={q}&limit=50"));
        assert_eq!(status, 200, "{json}");
        serde_json::from_str::<Value>(&json).expect("JSON")["hits"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(hits("mansrollsprojektet"), 0);
    let before = hits("kvinnofrid");
    let note = dir.path().join("ny.md");
    std::fs::write(&note, "# Mansrollsprojektet\n\nMansrollsprojektet om kvinnofrid startar under 2027.\n")
        .expect("write");
    let out = arkiv(&["ingest", &note.to_string_lossy(), "--index", &index.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // tantivy polls the index's meta file twice a second; wait a bounded time, not forever.
    let started = Instant::now();
    while hits("mansrollsprojektet") == 0 && started.elapsed() < PATIENCE {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(hits("mansrollsprojektet") > 0, "the page never saw the new commit");
    assert!(hits("kvinnofrid") > before);
}

/// Send `bytes` on a new connection and read until the server closes it or `PATIENCE` runs out.
fn exchange(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect_timeout(&addr, PATIENCE).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    stream.write_all(bytes).expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn connections_are_kept_alive_and_hostile_ones_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = ingest(dir.path());
    let server = Server::start(&index);

    // Two requests on one connection: the first answer leaves it open.
    let mut stream = TcpStream::connect_timeout(&server.addr, PATIENCE).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    for _ in 0..2 {
        write!(stream, "GET /api/search?q=kvinnofrid HTTP/1.1\r\nHost: x\r\n\r\n").expect("send");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).expect("a response on the kept-alive connection");
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
        assert!(head.starts_with("http/1.1 200"), "{head}");
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .and_then(|n| n.trim().parse().ok())
            .expect("a length");
        let mut body = vec![0u8; length];
        stream.read_exact(&mut body).expect("the body");
        assert!(String::from_utf8_lossy(&body).contains("\"hits\""));
    }

    // A head larger than the server buffers, and a request that is not HTTP.
    let huge = format!("GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "a".repeat(64 * 1024));
    assert!(exchange(server.addr, huge.as_bytes()).starts_with("HTTP/1.1 431"));
    assert!(exchange(server.addr, b"hello\r\n\r\n").starts_with("HTTP/1.1 400"));

    // A head that never ends is cut off by the deadline, not left to hold a connection.
    let started = Instant::now();
    let answer = exchange(server.addr, b"GET / HTTP/1.1\r\nHost: x\r\n");
    assert!(started.elapsed() < PATIENCE, "the server closed the stalled connection");
    assert!(!answer.contains(" 200 "), "{answer}");
    // The server still answers.
    assert_eq!(server.get("/").0, 200);
}

/// The page in a real browser: headless Chromium driven over the DevTools protocol. Searches from
/// the form, checks the hits and the year chart, narrows to a year by its bar, opens a document's
/// view, checks its goals and activities, and downloads the original; screenshots of each step go to
/// `target/browser/`. Without Chromium the test says so and passes, unless `ARKIV_REQUIRE_BROWSER` is
/// set (as `.ci/run` sets it, after installing Debian's `chromium`).
#[test]
fn the_page_works_in_a_real_browser() {
    use headless_chrome::protocol::cdp::Browser::{SetDownloadBehavior, SetDownloadBehaviorBehaviorOption};
    use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
    use headless_chrome::{Browser, LaunchOptions};

    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| which(name))
        .or_else(|| std::env::var_os("CHROME").map(std::path::PathBuf::from))
    else {
        assert!(
            std::env::var_os("ARKIV_REQUIRE_BROWSER").is_none(),
            "ARKIV_REQUIRE_BROWSER is set but no chromium is installed"
        );
        eprintln!(
            "the_page_works_in_a_real_browser: no chromium on PATH; skipped (apt-get install chromium)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let index = ingest(dir.path());
    let server = Server::start(&index);
    let base = format!("http://{}", server.addr);
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).expect("download folder");

    let options = LaunchOptions::default_builder()
        .path(Some(chromium))
        .sandbox(false)
        .window_size(Some((1280, 1800)))
        .idle_browser_timeout(PATIENCE * 4)
        .build()
        .expect("launch options");
    let browser = Browser::new(options).expect("start chromium");
    let tab = browser.new_tab().expect("a tab");
    tab.set_default_timeout(PATIENCE);
    let shoot = |name: &str| {
        let png =
            tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).expect("screenshot");
        std::fs::write(shots.join(name), png).expect("save the screenshot");
    };

    // Search from the form, as a user does.
    tab.navigate_to(&format!("{base}/")).expect("open").wait_until_navigated().expect("loaded");
    tab.wait_for_element("input[name=q]").expect("the search box").click().expect("focus");
    tab.type_str("våld").expect("type").press_key("Enter").expect("submit");
    wait_for_url(&tab, "/search?q=v%C3%A5ld");
    let first =
        tab.wait_for_element("li.hit").expect("hits").get_inner_text().expect("hit text").to_lowercase();
    assert!(first.contains("våld"), "the best hit holds the query: {first}");
    let summary = tab.find_element(".summary").expect("the total").get_inner_text().expect("text");
    assert!(summary.contains("träff"), "{summary}");
    assert!(count(&tab, ".chart a") >= 2, "a bar per year");
    shoot("1-search.png");

    // A bar narrows the search to its year.
    tab.find_element(".chart a[data-year='2018']").expect("the 2018 bar").click().expect("click");
    wait_for_url(&tab, "from=2018&to=2018");
    tab.wait_for_element("li.hit").expect("hits");
    let years = "[...document.querySelectorAll('li.hit .meta')].every(m => m.innerText.includes('2018'))";
    let every = tab.evaluate(years, false).expect("evaluate").value;
    assert_eq!(every, Some(serde_json::json!(true)), "every hit is of 2018");
    shoot("2-year-2018.png");

    // The document view of the first hit: its goals and activities, the query marked.
    tab.find_element("li.hit h2 a").expect("a hit's link").click().expect("click");
    wait_for_url(&tab, "/doc/doc-");
    tab.wait_for_element("li.goal").expect("goals");
    assert!(count(&tab, "li.goal") > 0 && count(&tab, "li.activity") > 0);
    let activity =
        tab.find_element("li.activity").expect("an activity").get_inner_text().expect("activity text");
    assert!(["genomförd", "pågående", "planerad"].iter().any(|s| activity.contains(s)), "{activity}");
    assert!(count(&tab, "mark") > 0, "the query is marked");
    shoot("3-document.png");

    // Download the original and compare it with the fixture.
    tab.call_method(SetDownloadBehavior {
        behavior: SetDownloadBehaviorBehaviorOption::Allow,
        browser_context_id: None,
        download_path: Some(downloads.to_string_lossy().into_owned()),
        events_enabled: None,
    })
    .expect("allow downloads");
    tab.find_element("a.download").expect("the download link").click().expect("click");
    let deadline = Instant::now() + PATIENCE;
    let downloaded = loop {
        let done = std::fs::read_dir(&downloads)
            .expect("read downloads")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "pdf"));
        if let Some(path) = done {
            break path;
        }
        assert!(Instant::now() < deadline, "the download never finished");
        std::thread::sleep(Duration::from_millis(100));
    };
    let name = downloaded.file_name().expect("a name").to_string_lossy().into_owned();
    let original = std::fs::read(Path::new("fixtures").join(&name)).expect("the fixture of that name");
    assert_eq!(std::fs::read(&downloaded).expect("the download"), original);
}

/// How many elements of the tab's page match `selector`.
fn count(tab: &headless_chrome::Tab, selector: &str) -> u64 {
    let script = format!("document.querySelectorAll({selector:?}).length");
    tab.evaluate(&script, false).expect("evaluate").value.and_then(|v| v.as_u64()).unwrap_or(0)
}

/// Wait until the tab has navigated to a URL holding `part` and the new page has loaded: a click
/// starts a navigation without waiting for it.
fn wait_for_url(tab: &headless_chrome::Tab, part: &str) {
    let deadline = Instant::now() + PATIENCE;
    while !tab.get_url().contains(part) {
        assert!(Instant::now() < deadline, "never reached {part}: at {}", tab.get_url());
        std::thread::sleep(Duration::from_millis(50));
    }
    tab.wait_until_navigated().expect("the page loads");
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(name))
        .find(|path| path.is_file())
}
