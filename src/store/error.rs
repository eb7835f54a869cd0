//! What can be wrong with a file in a collection, said so a person can fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with one file or directory of a collection. Each carries the path, and for text
/// files the line and column (1-based) where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The file is not valid JSON, or a field has the wrong type or value.
    #[error("{}:{line}:{column}: {message}", .path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A body sidecar file named by the request does not exist or cannot be read.
    #[error("{}:{line}:{column}: the body file `{sidecar}` {reason}", .path.display())]
    Sidecar {
        path: PathBuf,
        line: usize,
        column: usize,
        sidecar: String,
        reason: String,
    },
    /// The file system refused: permissions, a broken link, an I/O error.
    #[error("{}: cannot read it: {reason}", .path.display())]
    Unreadable { path: PathBuf, reason: String },
    /// A directory stands where a file must be (or the other way round).
    #[error("{}: {message}", .path.display())]
    WrongKind { path: PathBuf, message: String },
}

impl LoadError {
    pub fn path(&self) -> &Path {
        match self {
            LoadError::Invalid { path, .. }
            | LoadError::Sidecar { path, .. }
            | LoadError::Unreadable { path, .. }
            | LoadError::WrongKind { path, .. } => path,
        }
    }

    pub(crate) fn unreadable(path: &Path, err: &std::io::Error) -> Self {
        LoadError::Unreadable {
            path: path.to_owned(),
            reason: describe_io(err),
        }
    }
}

/// A failure to write a file of the collection.
#[derive(Debug, thiserror::Error)]
pub struct SaveError {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: cannot save: {}", self.path.display(), self.reason)
    }
}

impl SaveError {
    pub(crate) fn io(path: &Path, err: &std::io::Error) -> Self {
        SaveError {
            path: path.to_owned(),
            reason: describe_io(err),
        }
    }
}

/// An I/O error in plain words, without the "(os error 13)" noise where we can say better.
pub(crate) fn describe_io(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match err.kind() {
        NotFound => "it does not exist".to_owned(),
        PermissionDenied => "permission denied".to_owned(),
        IsADirectory => "it is a directory, not a file".to_owned(),
        _ => err.to_string(),
    }
}
