//! Small lenient accessors over lopdf objects: follow references (with a bound), read numbers and names,
//! decode streams within the per-stream and per-file limits, and the one place that catches panics in
//! lopdf. Nothing here interprets content.

use lopdf::{Dictionary, Document, Object};

use super::budget::Budget;

/// Largest decoded stream arkiv accepts (content streams, CMaps). Beyond it a file is refused rather than
/// exhausting memory.
pub(crate) const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;

/// Follow references until a direct object; a chain longer than 32 (a cycle) ends at `Null`.
pub(crate) fn deref<'a>(doc: &'a Document, mut obj: &'a Object) -> &'a Object {
    for _ in 0..32 {
        match obj {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(o) => obj = o,
                Err(_) => return &Object::Null,
            },
            _ => return obj,
        }
    }
    &Object::Null
}

/// `dict[key]`, dereferenced; `None` when absent or null.
pub(crate) fn dict_get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    match deref(doc, dict.get(key).ok()?) {
        Object::Null => None,
        o => Some(o),
    }
}

/// A number as f32.
pub(crate) fn number(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// A name as a string.
pub(crate) fn name_of(obj: &Object) -> Option<String> {
    match obj {
        Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
        _ => None,
    }
}

/// Why a stream gave no data.
#[derive(Debug)]
pub(crate) enum DecodeError {
    /// It inflates beyond [`MAX_STREAM_BYTES`].
    TooLarge,
    /// The file's streams together inflate beyond its budget.
    Budget,
    /// lopdf panicked decoding it (a bug in the parser, set off by this file).
    ParserPanicked,
    /// It cannot be decoded (an unknown filter, corrupt data).
    Failed(lopdf::Error),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::TooLarge => write!(f, "larger than {} MiB", MAX_STREAM_BYTES >> 20),
            DecodeError::Budget => write!(f, "over the file's decompression budget"),
            DecodeError::ParserPanicked => write!(f, "the PDF parser failed on it"),
            DecodeError::Failed(e) => write!(f, "{e}"),
        }
    }
}

/// Run a call into lopdf, catching a panic in it: lopdf parses untrusted bytes, and a bug it has must
/// fail this file, not the batch. Only third-party calls go through here; a panic in arkiv's own code
/// is a bug to be seen, and is never caught in the extract module.
pub(crate) fn guarded<T>(call: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).ok()
}

/// The decoded data of a stream object (followed through references); `None` when it has none. A
/// stream over the file's budget or one that crashes the parser is noted in `budget` (the caller
/// reports it once the page is read).
pub(crate) fn stream_data(doc: &Document, obj: &Object, budget: &Budget) -> Option<Vec<u8>> {
    match deref(doc, obj) {
        Object::Stream(s) => match decoded(s, budget) {
            Ok(data) => Some(data),
            Err(DecodeError::ParserPanicked) => {
                budget.note_parser_panic();
                None
            }
            Err(_) => None,
        },
        _ => None,
    }
}

/// Decode a stream, counting its bytes against the file's `budget`; errors when it would exceed
/// [`MAX_STREAM_BYTES`] or what is left of the budget, or cannot be decoded at all.
pub(crate) fn decoded(stream: &lopdf::Stream, budget: &Budget) -> Result<Vec<u8>, DecodeError> {
    let data = if stream.filters().map(|f| f.is_empty()).unwrap_or(true) {
        stream.content.clone()
    } else {
        let left = budget.decoded_left();
        let limit = MAX_STREAM_BYTES.min(left);
        match guarded(|| stream.decompressed_content_with_limit(limit)) {
            None => return Err(DecodeError::ParserPanicked),
            Some(Ok(data)) => data,
            Some(Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }))) => {
                return Err(if limit < MAX_STREAM_BYTES {
                    DecodeError::Budget
                } else {
                    DecodeError::TooLarge
                });
            }
            Some(Err(e)) => return Err(DecodeError::Failed(e)),
        }
    };
    budget.spend_decoded(data.len()).map_err(|_| DecodeError::Budget)?;
    Ok(data)
}

/// Make every stream's `/Filter` and `/DecodeParms` direct (the value, or each array item, that is a
/// reference is replaced by the object it names). lopdf decodes a stream only when they are direct, and
/// otherwise hands back the encoded bytes as if they were the data, so a content stream whose filter is
/// an indirect object (which PDF 32000-1, 7.3.8.2 allows) would read as no text at all. One pass over the
/// document's objects; each reference is followed at most 32 steps ([`deref`]). Returns how many streams
/// were changed.
pub(crate) fn resolve_indirect_filters(doc: &mut Document) -> usize {
    let indirect = |o: &Object| match o {
        Object::Reference(_) => true,
        Object::Array(items) => items.iter().any(|i| matches!(i, Object::Reference(_))),
        _ => false,
    };
    let mut fixes: Vec<(lopdf::ObjectId, &'static [u8], Object)> = Vec::new();
    for (id, obj) in &doc.objects {
        let Object::Stream(stream) = obj else { continue };
        for key in [b"Filter".as_slice(), b"DecodeParms".as_slice()] {
            let Ok(value) = stream.dict.get(key) else { continue };
            if !indirect(value) {
                continue;
            }
            let direct = match deref(doc, value) {
                Object::Array(items) => Object::Array(items.iter().map(|i| deref(doc, i).clone()).collect()),
                other => other.clone(),
            };
            fixes.push((*id, key, direct));
        }
    }
    let mut changed = 0;
    for (id, key, value) in fixes {
        if let Some(Object::Stream(stream)) = doc.objects.get_mut(&id) {
            stream.dict.set(key, value);
            changed += 1;
        }
    }
    changed
}
