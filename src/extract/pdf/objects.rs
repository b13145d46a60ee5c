//! Small lenient accessors over lopdf objects: follow references (with a bound), read numbers and names,
//! decode streams with a size limit.

use lopdf::{Dictionary, Document, Object};

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

/// The decoded data of a stream object (followed through references).
pub(crate) fn stream_data(doc: &Document, obj: &Object) -> Option<Vec<u8>> {
    match deref(doc, obj) {
        Object::Stream(s) => decoded(s).ok(),
        _ => None,
    }
}

/// Decode a stream; errors only when it would exceed [`MAX_STREAM_BYTES`] or cannot be decoded at all.
pub(crate) fn decoded(stream: &lopdf::Stream) -> Result<Vec<u8>, lopdf::Error> {
    if stream.filters().map(|f| f.is_empty()).unwrap_or(true) {
        return Ok(stream.content.clone());
    }
    stream.decompressed_content_with_limit(MAX_STREAM_BYTES)
}
