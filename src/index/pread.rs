//! The directory the index *writer* reads through: tantivy's `MmapDirectory` for everything except
//! reading a file, which is done with positional reads (`pread`) instead of a memory map.
//!
//! Why: a merge reads every byte of the segments it merges. Through a map, those pages stay resident
//! in the process for as long as the segments live, so the writer's resident memory grew with the size
//! of the whole index (a 10,000-document ingest peaked at three times a 1,000-document one). A copy
//! made by a read is freed as soon as the merge drops it. Readers keep the maps: for searching they
//! are faster and touch only what a query needs.
//!
//! This module never changes what is written, only how the writer reads it back.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle,
    WritePtr,
};
use tantivy::HasLen;

#[derive(Clone, Debug)]
pub(super) struct PreadDirectory {
    root: PathBuf,
    inner: MmapDirectory,
}

impl PreadDirectory {
    pub fn open(root: &Path) -> Result<PreadDirectory, tantivy::directory::error::OpenDirectoryError> {
        Ok(PreadDirectory { root: root.to_path_buf(), inner: MmapDirectory::open(root)? })
    }
}

/// A file read with `pread`, its length fixed when opened (tantivy never reads a file that is still
/// being written).
#[derive(Debug)]
struct PreadFile {
    file: File,
    len: usize,
}

impl HasLen for PreadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for PreadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.start > range.end || range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("read of {range:?} beyond a file of {} bytes", self.len),
            ));
        }
        let mut buffer = vec![0; range.len()];
        std::os::unix::fs::FileExt::read_exact_at(&self.file, &mut buffer, range.start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }
}

impl Directory for PreadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full = self.root.join(path);
        let file = File::open(&full).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
            _ => OpenReadError::wrap_io_error(e, path.to_path_buf()),
        })?;
        let len = file.metadata().map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?.len();
        let len = usize::try_from(len).map_err(|_| {
            OpenReadError::wrap_io_error(io::Error::other("file too large"), path.to_path_buf())
        })?;
        Ok(Arc::new(PreadFile { file, len }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ranges_and_refuses_reads_past_the_end() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("f"), b"abcdef").expect("write");
        let dir = PreadDirectory::open(tmp.path()).expect("open");
        let handle = dir.get_file_handle(Path::new("f")).expect("handle");
        assert_eq!(handle.len(), 6);
        assert_eq!(handle.read_bytes(1..4).expect("read").as_slice(), b"bcd");
        assert!(handle.read_bytes(0..0).expect("empty").is_empty());
        assert!(handle.read_bytes(4..9).is_err());
        assert!(matches!(dir.get_file_handle(Path::new("g")), Err(OpenReadError::FileDoesNotExist(_))));
    }
}
