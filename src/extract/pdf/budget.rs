//! The work one PDF may cost: limits on content operations, glyphs and Form XObject calls per page, on
//! decompressed bytes per file, and the file's wall-clock deadline.
//!
//! Every limit is counted in work done, not time, so a file is refused the same way on any machine;
//! only the deadline ([`super::super::Options::timeout`]) depends on the clock, and it is checked
//! cooperatively (in the interpreter's operator loop and between pages and layout steps), never by
//! killing a thread. This module only counts and judges: it never reads a PDF object itself.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::Error;

/// Content operations one page may run, its Form XObjects' included. Dense real pages (maps, charts
/// drawn as vectors) run a few hundred thousand.
pub(crate) const MAX_PAGE_OPERATIONS: usize = 2_000_000;
/// Glyphs one page may show. A page of 6-point text holds about 20,000.
pub(crate) const MAX_PAGE_GLYPHS: usize = 1_000_000;
/// Form XObject calls on one page, nested ones included. Real pages call at most a few hundred (logos,
/// stamps, one form per table cell).
pub(crate) const MAX_PAGE_FORM_CALLS: usize = 20_000;
/// Decompressed stream bytes one file may produce in total (content streams, forms, CMaps). The
/// largest real document in the corpora decodes to a few MiB; a file beyond this is a bomb spread over
/// many streams, each under the per-stream limit.
pub(crate) const MAX_FILE_DECODED_BYTES: usize = 256 * 1024 * 1024;

/// Why a page stopped: a per-page limit it ran into, the file's time or byte budget, or a parser panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    Operations,
    Glyphs,
    FormCalls,
    DecodedBytes,
    Deadline,
    /// Another page of the file failed; this one stopped early (its own result is not reported).
    Cancelled,
    /// lopdf panicked on this file.
    ParserPanicked,
    /// One stream inflates beyond the per-stream limit.
    StreamTooLarge,
}

impl Stop {
    /// The error for the file, naming the limit and the page it was reached on.
    pub(crate) fn into_error(self, budget: &Budget, page: u32) -> Error {
        match self {
            Stop::Operations => Error::Budget(format!(
                "page {page}: more than {} content operations",
                thousands(MAX_PAGE_OPERATIONS)
            )),
            Stop::Glyphs => {
                Error::Budget(format!("page {page}: more than {} glyphs", thousands(MAX_PAGE_GLYPHS)))
            }
            Stop::FormCalls => Error::Budget(format!(
                "page {page}: more than {} Form XObject calls",
                thousands(MAX_PAGE_FORM_CALLS)
            )),
            Stop::DecodedBytes => Error::Budget(format!(
                "page {page}: more than {} MiB of decompressed streams in the file",
                MAX_FILE_DECODED_BYTES >> 20
            )),
            Stop::StreamTooLarge => Error::StreamTooLarge(super::objects::MAX_STREAM_BYTES >> 20),
            Stop::ParserPanicked => Error::Damaged("the PDF parser failed on this file".into()),
            Stop::Deadline | Stop::Cancelled => budget.timeout_error(),
        }
    }
}

/// The budget of one file, shared by the threads that read its pages.
pub(crate) struct Budget {
    deadline: Option<Instant>,
    /// The limit as given, for the error message.
    timeout: Duration,
    decoded: AtomicUsize,
    /// Set when any page fails, so that the other runs stop instead of finishing work that is thrown
    /// away.
    cancelled: AtomicBool,
    /// lopdf panicked on a stream read where no error can be returned (a font's CMap).
    parser_panicked: AtomicBool,
}

impl Budget {
    /// A budget whose clock starts now.
    pub(crate) fn new(timeout: Option<Duration>) -> Budget {
        Budget {
            // A timeout too large for the clock is no limit.
            deadline: timeout.and_then(|t| Instant::now().checked_add(t)),
            timeout: timeout.unwrap_or_default(),
            decoded: AtomicUsize::new(0),
            cancelled: AtomicBool::new(false),
            parser_panicked: AtomicBool::new(false),
        }
    }

    /// When the file's time is up, if it has a limit.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// `Err` once the deadline has passed.
    pub(crate) fn check_time(&self) -> Result<(), Stop> {
        match self.deadline {
            Some(d) if Instant::now() >= d => Err(Stop::Deadline),
            _ => Ok(()),
        }
    }

    /// The deadline check for the operator loop: also stops when another page has failed.
    pub(crate) fn check(&self) -> Result<(), Stop> {
        if self.cancelled.load(Ordering::Relaxed) {
            return Err(Stop::Cancelled);
        }
        self.check_time()
    }

    pub(crate) fn timeout_error(&self) -> Error {
        Error::Timeout(self.timeout.as_secs())
    }

    /// Tell the other runs to stop.
    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub(crate) fn note_parser_panic(&self) {
        self.parser_panicked.store(true, Ordering::Relaxed);
    }

    /// Whether lopdf panicked on a stream of this file that was read without reporting it.
    pub(crate) fn parser_panicked(&self) -> bool {
        self.parser_panicked.load(Ordering::Relaxed)
    }

    /// Decompressed bytes the file may still produce.
    pub(crate) fn decoded_left(&self) -> usize {
        MAX_FILE_DECODED_BYTES.saturating_sub(self.decoded.load(Ordering::Relaxed))
    }

    /// Count `n` decompressed bytes; `Err` when the file's total passes the limit.
    pub(crate) fn spend_decoded(&self, n: usize) -> Result<(), Stop> {
        let before = self.decoded.fetch_add(n, Ordering::Relaxed);
        if before.saturating_add(n) > MAX_FILE_DECODED_BYTES {
            return Err(Stop::DecodedBytes);
        }
        Ok(())
    }

    /// True once the file's decompressed bytes have passed the limit (a font's CMap may have spent the
    /// last of it without being able to say so).
    pub(crate) fn decoded_exhausted(&self) -> bool {
        self.decoded.load(Ordering::Relaxed) > MAX_FILE_DECODED_BYTES
    }
}

/// `n` with thousands separators: 2,000,000.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(2_000_000), "2,000,000");
    }

    #[test]
    fn decoded_bytes_add_up_across_streams() {
        let budget = Budget::new(None);
        assert!(budget.spend_decoded(MAX_FILE_DECODED_BYTES - 10).is_ok());
        assert_eq!(budget.decoded_left(), 10);
        assert_eq!(budget.spend_decoded(11), Err(Stop::DecodedBytes));
        assert!(budget.decoded_exhausted());
    }

    #[test]
    fn a_zero_timeout_has_passed_at_once() {
        let budget = Budget::new(Some(Duration::ZERO));
        assert_eq!(budget.check_time(), Err(Stop::Deadline));
        assert!(matches!(budget.timeout_error(), Error::Timeout(0)));
        assert!(Budget::new(None).check_time().is_ok());
    }
}
