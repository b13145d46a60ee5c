//! PDF text extraction over lopdf.
pub mod encoding;

use super::{Document, Options};
use crate::error::Error;

pub(crate) fn extract(_bytes: &[u8], _options: &Options) -> Result<Document, Error> {
    Err(Error::NotPdf)
}
