//! The predefined CMaps and CID collections of PDF (32000-1, 9.7.5.2): encodings named by a Type0
//! font's `/Encoding` (`GBK-EUC-H`, `90ms-RKSJ-H`, `UniJIS-UCS2-H`, ...) that turn bytes into CIDs, and
//! the Adobe collections' CID → Unicode maps (`Adobe-Japan1-UCS2` and its siblings) for CID fonts
//! that carry no usable `/ToUnicode`.
//!
//! The data is Adobe's cmap-resources (BSD-3-Clause), bundled and parsed by the `hayro-cmap` crate;
//! this module only names and caches what it needs, and wraps each call into the crate in
//! [`guarded`]. It never reads a PDF object.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use compact_str::CompactString;
use hayro_cmap::{BfString, CMap, CMapName, CidFamily};

use super::objects::guarded;

/// A predefined encoding CMap (bytes → CID).
#[derive(Debug, Clone)]
pub(crate) struct Predefined(Arc<CMap>);

/// Parsed predefined CMaps, by name: each is parsed once per process.
static ENCODINGS: LazyLock<Mutex<HashMap<Vec<u8>, Option<Predefined>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn parse_embedded(name: CMapName<'_>) -> Option<CMap> {
    guarded(|| {
        let data = hayro_cmap::load_embedded(name)?;
        CMap::parse(data, hayro_cmap::load_embedded)
    })
    .flatten()
}

impl Predefined {
    /// The predefined CMap a Type0 `/Encoding` name stands for; `None` for Identity-H/V (the caller
    /// reads those as two-byte CIDs) and for names PDF does not predefine.
    pub(crate) fn by_name(name: &[u8]) -> Option<Predefined> {
        if name.starts_with(b"Identity-") || name.len() > 64 {
            return None;
        }
        let mut cache = ENCODINGS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = cache.get(name) {
            return hit.clone();
        }
        let parsed = match CMapName::from_bytes(name) {
            CMapName::Custom(_) => None,
            known => parse_embedded(known).map(|c| Predefined(Arc::new(c))),
        };
        cache.insert(name.to_vec(), parsed.clone());
        parsed
    }

    /// The length and CID of the code at the start of `bytes`. Predefined CMaps have prefix-free code
    /// spaces, so the shortest length that maps is the code's length (a lead byte maps to nothing on
    /// its own). A code that maps at no length takes two bytes, or what is left.
    pub(crate) fn code(&self, bytes: &[u8]) -> (usize, Option<u32>) {
        for len in 1..=bytes.len().min(4) {
            let code = bytes[..len].iter().fold(0u32, |acc, &b| acc << 8 | b as u32);
            if let Some(cid) = guarded(|| self.0.lookup_cid_code(code, len as u8)).flatten() {
                return (len, Some(cid));
            }
        }
        (bytes.len().clamp(1, 2), None)
    }

    /// Whether the CMap writes vertically (its name ends in `-V`).
    pub(crate) fn vertical(&self) -> bool {
        matches!(self.0.metadata().writing_mode, Some(hayro_cmap::WritingMode::Vertical))
    }

    /// The character collection the CMap's CIDs belong to.
    pub(crate) fn collection(&self) -> Option<Collection> {
        let family = self.0.metadata().character_collection.as_ref()?.family.clone();
        Collection::from_family(family)
    }
}

/// One of the four Adobe CJK character collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Collection {
    Gb1,
    Cns1,
    Japan1,
    Korea1,
}

/// Each collection's CID → Unicode map, parsed on first use.
static UCS2: [LazyLock<Option<CMap>>; 4] = [
    LazyLock::new(|| parse_embedded(CMapName::AdobeGb1Ucs2)),
    LazyLock::new(|| parse_embedded(CMapName::AdobeCns1Ucs2)),
    LazyLock::new(|| parse_embedded(CMapName::AdobeJapan1Ucs2)),
    LazyLock::new(|| parse_embedded(CMapName::AdobeKorea1Ucs2)),
];

impl Collection {
    /// The collection a CIDFont's `/CIDSystemInfo` names.
    pub(crate) fn from_system_info(registry: &[u8], ordering: &[u8]) -> Option<Collection> {
        Collection::from_family(CidFamily::from_registry_ordering(registry, ordering))
    }

    fn from_family(family: CidFamily) -> Option<Collection> {
        match family {
            CidFamily::AdobeGB1 => Some(Collection::Gb1),
            CidFamily::AdobeCNS1 => Some(Collection::Cns1),
            CidFamily::AdobeJapan1 => Some(Collection::Japan1),
            CidFamily::AdobeKorea1 => Some(Collection::Korea1),
            _ => None,
        }
    }

    /// The Unicode text of a CID in this collection.
    pub(crate) fn unicode(self, cid: u32) -> Option<CompactString> {
        let map = UCS2[self as usize].as_ref()?;
        match guarded(|| map.lookup_bf_string(cid)).flatten()? {
            BfString::Char(c) if c != '\0' => Some(CompactString::from(c.to_string())),
            BfString::Char(_) => None,
            BfString::String(s) => Some(CompactString::from(s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_encodings_give_cids_and_lengths() {
        let gbk = Predefined::by_name(b"GBK-EUC-H").expect("GBK-EUC-H is predefined");
        assert_eq!(gbk.collection(), Some(Collection::Gb1));
        // One byte for ASCII, two for a GBK character (0xD6D0 is 中).
        let (len, cid) = gbk.code(b"A\xd6\xd0");
        assert_eq!(len, 1);
        let text = cid.and_then(|c| Collection::Gb1.unicode(c));
        assert_eq!(text.as_deref(), Some("A"));
        let (len, cid) = gbk.code(b"\xd6\xd0");
        assert_eq!(len, 2);
        assert_eq!(cid.and_then(|c| Collection::Gb1.unicode(c)).as_deref(), Some("中"));
        assert!(!gbk.vertical());

        let sjis = Predefined::by_name(b"90ms-RKSJ-V").expect("90ms-RKSJ-V is predefined");
        assert!(sjis.vertical());
        // 0x82A0 is hiragana あ in Shift-JIS.
        let (len, cid) = sjis.code(b"\x82\xa0");
        assert_eq!(len, 2);
        assert_eq!(cid.and_then(|c| Collection::Japan1.unicode(c)).as_deref(), Some("あ"));
    }

    #[test]
    fn identity_and_unknown_names_are_not_predefined() {
        assert!(Predefined::by_name(b"Identity-H").is_none());
        assert!(Predefined::by_name(b"No-Such-CMap").is_none());
        assert_eq!(Collection::from_system_info(b"Adobe", b"Japan1"), Some(Collection::Japan1));
        assert_eq!(Collection::from_system_info(b"Adobe", b"Identity"), None);
        // Adobe-Korea1 CID 1 is the space.
        assert_eq!(Collection::Korea1.unicode(1).as_deref(), Some(" "));
    }
}
