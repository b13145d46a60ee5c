//! Worker mode (`arkiv parse --batch`): inputs named one per line, each run through
//! extract → segment → records and written as JSON Lines, for a distributed job to drive
//! (`deploy/spark/arkiv_spark.py`).
//!
//! An input line is a path, or a JSON object `{"path": P}` or `{"content": BASE64, "name": N}` (the
//! name gives the format by its extension and is the records' path). For each input, in input order,
//! the output holds its records (the document record first), with the ids and provenance `arkiv
//! ingest` gives the same file (a path is made canonical, as ingest makes it), or one failure line:
//! `{"kind": "failure", "file": F, "sha256": S|null, "reason": R}`.
//!
//! It never stops at a bad input: an unreadable, damaged, hostile or slow file is a failure line, and
//! each file has the time budget of ingest. A panic in arkiv's code is arkiv's bug: it is reported for
//! that file as an internal error, and the run, once every input is answered, exits with 2 (as ingest
//! does). It never writes anything but its output, and never touches an index.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use std::sync::Arc;

use arrow_array::builder::{ArrayBuilder, Int32Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use base64::Engine as _;
use rayon::prelude::*;

use crate::error::Error;
use crate::extract;
use crate::ingest;
use crate::records::Record;

/// The longest input line read (a base64 content line of a 190 MB file); a longer one is a failure.
pub const MAX_LINE: usize = 256 << 20;

/// Inputs parsed at once (in parallel), written in order before the next are read.
const CHUNK: usize = 16;

/// What a batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub inputs: usize,
    pub failed: usize,
    /// Of the failures, those that are arkiv's bug (a panic in its code), not the file's.
    pub internal: usize,
    pub records: usize,
}

/// How the answers are written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON Lines: each record, or failure, as `arkiv parse --json` prints it.
    #[default]
    Jsonl,
    /// An Arrow IPC stream of [`arrow_schema`] rows, one batch per chunk of inputs: a job hands the
    /// batches on as they are, with no JSON to decode to find a record's id or its document's year.
    Arrow,
}

/// One line of input.
enum Line {
    Text(String),
    /// Longer than [`MAX_LINE`]: skipped to its end.
    TooLong,
}

/// One input's answer: its records, or one failure, each as its JSON line with the columns a job
/// sorts and partitions by.
struct Output {
    /// The records' path (the file a failure names).
    path: String,
    year: Option<i32>,
    doc_type: Option<&'static str>,
    rows: Vec<Row>,
    failed: bool,
    internal: bool,
}

struct Row {
    /// The record, or `None` for a failure: a job's columns (kind, ids) are read from it.
    record: Option<Record>,
    json: String,
}

/// One input, as a line names it.
#[derive(Debug, PartialEq, Eq)]
enum Input {
    Path(PathBuf),
    Content { name: String, bytes: Vec<u8> },
}

/// Read inputs from `lines` until it ends, and write each one's records or failure to `out`, in
/// input order. Only a failure to read the input stream or to write the output is an error: a bad
/// input is an answer.
pub fn run(
    lines: &mut impl BufRead,
    out: &mut impl Write,
    options: &extract::Options,
    format: Format,
) -> Result<Summary, Error> {
    match format {
        Format::Jsonl => answer_all(lines, &mut JsonLines(out), options),
        Format::Arrow => answer_all(lines, &mut ArrowStream::new(out)?, options),
    }
}

fn answer_all(
    lines: &mut impl BufRead,
    sink: &mut impl Sink,
    options: &extract::Options,
) -> Result<Summary, Error> {
    let mut summary = Summary::default();
    loop {
        let mut chunk = Vec::with_capacity(CHUNK);
        while chunk.len() < CHUNK {
            match read_line(lines)? {
                None => break,
                Some(Line::Text(line)) if line.trim().is_empty() => continue,
                Some(line) => chunk.push(line),
            }
        }
        if chunk.is_empty() {
            sink.finish()?;
            return Ok(summary);
        }
        let results: Vec<Output> = chunk.par_iter().map(|line| one(line, options)).collect();
        for done in &results {
            sink.answer(done)?;
            summary.inputs += 1;
            summary.records += if done.failed { 0 } else { done.rows.len() };
            summary.failed += usize::from(done.failed);
            summary.internal += usize::from(done.internal);
        }
        sink.flush()?;
    }
}

/// Where the answers go, input by input.
trait Sink {
    fn answer(&mut self, done: &Output) -> Result<(), Error>;
    /// After each chunk of inputs: what was answered reaches the reader.
    fn flush(&mut self) -> Result<(), Error>;
    /// After the last input.
    fn finish(&mut self) -> Result<(), Error>;
}

struct JsonLines<'a, W: Write>(&'a mut W);

impl<W: Write> Sink for JsonLines<'_, W> {
    fn answer(&mut self, done: &Output) -> Result<(), Error> {
        for row in &done.rows {
            self.0.write_all(row.json.as_bytes())?;
            self.0.write_all(b"\n")?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Error> {
        Ok(self.0.flush()?)
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.flush()
    }
}

/// The columns of `--format arrow`, one row per record or failure: `kind` (`failure` for a
/// failure), `id` and `doc_id` (null for a failure), `seq` (the row's place among its input's
/// answers), `path` (the records' path, or the failed file), `year` and `doc_type` (the document's;
/// null for a failure), and `record` (the JSON line `--format jsonl` writes).
pub fn arrow_schema() -> arrow_schema::SchemaRef {
    use arrow_schema::{DataType, Field, Schema};
    std::sync::Arc::new(Schema::new(vec![
        Field::new("kind", DataType::Utf8, false),
        Field::new("id", DataType::Utf8, true),
        Field::new("doc_id", DataType::Utf8, true),
        Field::new("seq", DataType::Int32, false),
        Field::new("path", DataType::Utf8, false),
        Field::new("year", DataType::Int32, true),
        Field::new("doc_type", DataType::Utf8, true),
        Field::new("record", DataType::Utf8, false),
    ]))
}

struct ArrowStream<'a, W: Write> {
    writer: arrow_ipc::writer::StreamWriter<&'a mut W>,
    columns: ArrowColumns,
}

#[derive(Default)]
struct ArrowColumns {
    kind: StringBuilder,
    id: StringBuilder,
    doc_id: StringBuilder,
    seq: Int32Builder,
    path: StringBuilder,
    year: Int32Builder,
    doc_type: StringBuilder,
    record: StringBuilder,
}

impl<'a, W: Write> ArrowStream<'a, W> {
    fn new(out: &'a mut W) -> Result<Self, Error> {
        let writer = arrow_ipc::writer::StreamWriter::try_new(out, &arrow_schema()).map_err(arrow_error)?;
        Ok(ArrowStream { writer, columns: ArrowColumns::default() })
    }
}

impl<W: Write> Sink for ArrowStream<'_, W> {
    fn answer(&mut self, done: &Output) -> Result<(), Error> {
        let c = &mut self.columns;
        for (seq, row) in done.rows.iter().enumerate() {
            c.kind.append_value(row.record.as_ref().map_or("failure", |r| r.kind().as_str()));
            c.id.append_option(row.record.as_ref().map(Record::id));
            c.doc_id.append_option(row.record.as_ref().map(Record::doc_id));
            // An input's records fit in an i32: a document is far below 2^31 records.
            c.seq.append_value(i32::try_from(seq).unwrap_or(i32::MAX));
            c.path.append_value(&done.path);
            c.year.append_option(done.year);
            c.doc_type.append_option(done.doc_type);
            c.record.append_value(&row.json);
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Error> {
        let c = &mut self.columns;
        if c.kind.is_empty() {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(c.kind.finish()),
            Arc::new(c.id.finish()),
            Arc::new(c.doc_id.finish()),
            Arc::new(c.seq.finish()),
            Arc::new(c.path.finish()),
            Arc::new(c.year.finish()),
            Arc::new(c.doc_type.finish()),
            Arc::new(c.record.finish()),
        ];
        let batch = RecordBatch::try_new(arrow_schema(), arrays).map_err(arrow_error)?;
        self.writer.write(&batch).map_err(arrow_error)?;
        self.writer.flush().map_err(arrow_error)
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.flush()?;
        self.writer.finish().map_err(arrow_error)
    }
}

fn arrow_error(e: arrow_schema::ArrowError) -> Error {
    match e {
        arrow_schema::ArrowError::IoError(_, e) => Error::Io(e),
        e => Error::Internal(format!("cannot write an Arrow batch: {e}")),
    }
}

/// The next line without its line break, `None` at the end; a line over [`MAX_LINE`] bytes is read
/// to its end and given as [`Line::TooLong`].
fn read_line(lines: &mut impl BufRead) -> Result<Option<Line>, Error> {
    let mut bytes = Vec::new();
    let read = std::io::Read::take(&mut *lines, MAX_LINE as u64 + 1).read_until(b'\n', &mut bytes)?;
    if read == 0 {
        return Ok(None);
    }
    if bytes.len() > MAX_LINE && bytes.last() != Some(&b'\n') {
        // Skip the rest of the over-long line.
        let mut rest = Vec::new();
        loop {
            rest.clear();
            let n = std::io::Read::take(&mut *lines, 1 << 20).read_until(b'\n', &mut rest)?;
            if n == 0 || rest.last() == Some(&b'\n') {
                break;
            }
        }
        return Ok(Some(Line::TooLong));
    }
    while matches!(bytes.last(), Some(b'\n' | b'\r')) {
        bytes.pop();
    }
    Ok(Some(Line::Text(String::from_utf8_lossy(&bytes).into_owned())))
}

/// One input line's answer.
fn one(line: &Line, options: &extract::Options) -> Output {
    let failure = |file: &str, sha256: Option<&str>, reason: &str| {
        let value = serde_json::json!({"kind": "failure", "file": file, "sha256": sha256, "reason": reason});
        Output {
            path: file.to_string(),
            year: None,
            doc_type: None,
            rows: vec![Row { record: None, json: value.to_string() }],
            failed: true,
            internal: false,
        }
    };
    let line = match line {
        Line::Text(line) => line,
        Line::TooLong => {
            return failure(
                "(an input line)",
                None,
                &format!("the input line is longer than {MAX_LINE} bytes"),
            )
        }
    };
    let (name, bytes) = match parse_line(line) {
        Err(reason) => return failure(&one_line_name(line), None, &reason),
        Ok(Input::Content { name, bytes }) => (name, bytes),
        Ok(Input::Path(path)) => {
            let canonical = match path.canonicalize() {
                Ok(canonical) => canonical,
                Err(e) => return failure(&path.to_string_lossy(), None, &Error::from(e).to_string()),
            };
            match std::fs::read(&canonical) {
                Ok(bytes) => (canonical.to_string_lossy().into_owned(), bytes),
                Err(e) => return failure(&canonical.to_string_lossy(), None, &Error::from(e).to_string()),
            }
        }
    };
    let sha256 = ingest::sha256_hex(&bytes);
    match ingest::parse_guarded(&name, &bytes, &sha256, options) {
        // arkiv's own bug: reported for this file, and counted so that the run ends with an error.
        Err(e @ Error::Internal(_)) => {
            Output { internal: true, ..failure(&name, Some(&sha256), &e.to_string()) }
        }
        Err(e) => failure(&name, Some(&sha256), &e.to_string()),
        Ok(parsed) => {
            let mut rows = Vec::with_capacity(parsed.records.len());
            let (mut year, mut doc_type) = (None, None);
            for record in parsed.records {
                if let Record::Document(document) = &record {
                    year = document.year;
                    doc_type = Some(document.doc_type.as_str());
                }
                match serde_json::to_string(&record) {
                    Ok(json) => rows.push(Row { record: Some(record), json }),
                    Err(e) => return failure(&name, Some(&sha256), &format!("cannot write a record: {e}")),
                }
            }
            Output { path: name, year, doc_type, rows, failed: false, internal: false }
        }
    }
}

/// What a line names.
fn parse_line(line: &str) -> Result<Input, String> {
    let trimmed = line.trim();
    if !trimmed.starts_with('{') {
        return Ok(Input::Path(PathBuf::from(trimmed)));
    }
    let value: serde_json::Value =
        serde_json::from_str(trimmed).map_err(|e| format!("the input line is not valid JSON: {e}"))?;
    let text = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
    match (text("path"), text("content")) {
        (Some(path), None) => Ok(Input::Path(PathBuf::from(path))),
        (None, Some(content)) => {
            let name = text("name").ok_or("an input with content needs a \"name\" (its file name)")?;
            // MIME base64 (Spark's `base64()`, many mail tools) breaks lines every 76 characters.
            let compact: String = content.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map_err(|e| format!("the content of {name} is not valid base64: {e}"))?;
            Ok(Input::Content { name: name.to_string(), bytes })
        }
        _ => Err("an input object needs either \"path\" or \"content\" with \"name\"".into()),
    }
}

/// A name for a line that names no file: its `name` or `path` when it has one, else its start.
fn one_line_name(line: &str) -> String {
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(line.trim()) {
        if let Some(name) = value.get("name").or_else(|| value.get("path")).and_then(|v| v.as_str()) {
            return name.to_string();
        }
    }
    line.chars().filter(|c| !c.is_control()).take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(input: &str) -> (Vec<serde_json::Value>, Summary) {
        let mut out = Vec::new();
        let summary = run(&mut input.as_bytes(), &mut out, &extract::Options::default(), Format::Jsonl)
            .expect("batch runs");
        let lines = String::from_utf8(out).expect("utf-8");
        (lines.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect(), summary)
    }

    #[test]
    fn content_inputs_give_records_and_bad_ones_a_failure_line_each() {
        let text = "Rapport 2019\n\n1 Inledning\n\nSKR genomförde en konferens 2019.\n";
        let content = base64::engine::general_purpose::STANDARD.encode(text);
        let input = format!(
            "{{\"content\": \"{content}\", \"name\": \"rapport.txt\"}}\n\
             /no/such/file.pdf\n\
             {{\"content\": \"not base64!\", \"name\": \"x.txt\"}}\n\
             {{\"content\": \"{content}\"}}\n\
             {{broken json\n\
             \n\
             {{\"content\": \"{content}\", \"name\": \"rapport.xyz\"}}\n"
        );
        let (lines, summary) = run_on(&input);
        assert_eq!(summary.inputs, 6, "{lines:?}");
        assert_eq!(summary.failed, 5, "{lines:?}");
        assert_eq!(lines[0]["kind"], "document");
        assert_eq!(lines[0]["source"]["path"], "rapport.txt");
        let failures: Vec<&serde_json::Value> = lines.iter().filter(|l| l["kind"] == "failure").collect();
        assert_eq!(failures.len(), 5);
        assert_eq!(failures[0]["file"], "/no/such/file.pdf");
        assert!(failures[1]["reason"].as_str().is_some_and(|r| r.contains("base64")), "{failures:?}");
        assert!(failures[2]["reason"].as_str().is_some_and(|r| r.contains("name")), "{failures:?}");
        assert!(failures[3]["reason"].as_str().is_some_and(|r| r.contains("JSON")), "{failures:?}");
        assert_eq!(failures[4]["file"], "rapport.xyz");
        assert_eq!(summary.records, lines.len() - 5);
    }

    #[test]
    fn a_panic_in_arkiv_is_an_internal_failure_and_the_batch_goes_on() {
        let encode = |bytes: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(bytes);
        let bug = encode(crate::extract::tests::pdf_with_actual_text(crate::extract::layout::PANIC_TRIGGER));
        let fine = encode(crate::extract::tests::pdf_with_actual_text("Kvinnofrid i kommunerna"));
        let input = format!(
            "{{\"content\": \"{bug}\", \"name\": \"bug.pdf\"}}\n{{\"content\": \"{fine}\", \"name\": \"fine.pdf\"}}\n"
        );
        let (lines, summary) = run_on(&input);
        assert_eq!((summary.inputs, summary.failed, summary.internal), (2, 1, 1), "{lines:?}");
        let reason = lines[0]["reason"].as_str().unwrap_or_default();
        assert!(reason.starts_with("internal error in arkiv"), "{reason}");
        assert_eq!(lines[1]["kind"], "document");
    }

    #[test]
    fn base64_broken_into_lines_is_read() {
        let content = base64::engine::general_purpose::STANDARD
            .encode("# Rubrik\n\nSKL ska starta ett nätverk 2020.\n");
        let (head, tail) = content.split_at(20);
        let input = format!("{{\"content\": \"{head}\\r\\n{tail}\", \"name\": \"a.md\"}}\n");
        let (lines, summary) = run_on(&input);
        assert_eq!(summary.failed, 0, "{lines:?}");
        assert_eq!(lines[0]["kind"], "document");
    }

    #[test]
    fn the_same_content_gives_the_same_ids_by_name_or_by_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "# Rubrik\n\nSKL ska starta ett nätverk 2020.\n").expect("write");
        let canonical = path.canonicalize().expect("canonical");
        let bytes = std::fs::read(&path).expect("read");
        let content = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let input = format!(
            "{}\n{{\"content\": \"{content}\", \"name\": \"{}\"}}\n",
            path.display(),
            canonical.display()
        );
        let (lines, summary) = run_on(&input);
        assert_eq!(summary.failed, 0);
        let half = lines.len() / 2;
        assert_eq!(lines[..half], lines[half..], "by path and by content: the same records");
        assert_eq!(lines[0]["source"]["path"], canonical.to_string_lossy().as_ref());
    }

    #[test]
    fn an_over_long_line_is_one_failure_and_the_batch_goes_on() {
        let mut input = vec![b'x'; MAX_LINE + 10];
        input.extend_from_slice(b"\n/also/missing.txt\n");
        let mut out = Vec::new();
        let summary =
            run(&mut input.as_slice(), &mut out, &extract::Options::default(), Format::Jsonl).expect("runs");
        assert_eq!((summary.inputs, summary.failed), (2, 2));
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.lines().next().is_some_and(|l| l.contains("longer than")), "{text}");
        assert_eq!(summary.internal, 0);
    }

    #[test]
    fn the_arrow_stream_holds_the_jsonl_records_with_their_columns() {
        use arrow_array::cast::AsArray;
        use arrow_array::types::Int32Type;
        use arrow_array::Array;
        let text = "Rapport 2019\n\n1 Inledning\n\nSKR genomförde en konferens 2019.\n";
        let content = base64::engine::general_purpose::STANDARD.encode(text);
        // More inputs than a chunk holds, so the stream has several batches.
        let mut input = String::new();
        for i in 0..CHUNK + 3 {
            input.push_str(&format!(
                "{{\"content\": \"{content}\", \"name\": \"r{i}.txt\"}}\n/no/such/{i}.pdf\n"
            ));
        }
        let (lines, _) = run_on(&input);
        let mut out = Vec::new();
        let summary = run(&mut input.as_bytes(), &mut out, &extract::Options::default(), Format::Arrow)
            .expect("batch runs");
        assert_eq!(summary.failed, CHUNK + 3);
        let reader = arrow_ipc::reader::StreamReader::try_new(out.as_slice(), None).expect("an Arrow stream");
        assert_eq!(reader.schema(), arrow_schema());
        let batches: Vec<RecordBatch> = reader.map(|b| b.expect("a batch")).collect();
        assert!(batches.len() >= 2, "one batch per chunk: {}", batches.len());
        let mut seen = 0;
        for batch in &batches {
            let column = |name: &str| batch.column_by_name(name).expect("column").as_string::<i32>().clone();
            let (kind, id, doc_id, path, doc_type, record) = (
                column("kind"),
                column("id"),
                column("doc_id"),
                column("path"),
                column("doc_type"),
                column("record"),
            );
            let seq = batch.column_by_name("seq").expect("seq").as_primitive::<Int32Type>().clone();
            let year = batch.column_by_name("year").expect("year").as_primitive::<Int32Type>().clone();
            for row in 0..batch.num_rows() {
                let line = &lines[seen];
                seen += 1;
                assert_eq!(
                    serde_json::from_str::<serde_json::Value>(record.value(row)).expect("JSON"),
                    *line
                );
                assert_eq!(kind.value(row), line["kind"]);
                if kind.value(row) == "failure" {
                    assert!(
                        id.is_null(row) && doc_id.is_null(row) && year.is_null(row) && doc_type.is_null(row)
                    );
                    assert_eq!(path.value(row), line["file"]);
                    assert_eq!(seq.value(row), 0);
                } else {
                    assert_eq!(id.value(row), line["id"]);
                    assert_eq!(doc_id.value(row), line["doc_id"]);
                    assert!(path.value(row).starts_with('r'), "{}", path.value(row));
                    assert_eq!(year.value(row), 2019);
                    assert_eq!(kind.value(row) == "document", seq.value(row) == 0);
                }
            }
        }
        assert_eq!(seen, lines.len(), "every JSON line is a row, in the same order");
    }
}
