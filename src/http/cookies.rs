//! Cookie jars: one per collection, kept in the state directory between runs, sent on later
//! requests like a browser would, and viewable and clearable.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

use http::HeaderValue;

/// A cookie as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieView {
    pub name: String,
    pub value: String,
    pub domain: String,
    pub path: String,
    /// None for a session cookie.
    pub expires: Option<String>,
    pub secure: bool,
    pub http_only: bool,
}

/// Why a cookie jar could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum JarError {
    #[error("{}: not a cookie jar Courier can read: {reason}", .file.display())]
    NotAJar { file: PathBuf, reason: String },
    #[error("{}: cannot read the cookie jar: {source}", .file.display())]
    Unreadable {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("the cookie jar is poisoned")]
    Poisoned,
    #[error("cannot write the cookie jar: {0}")]
    Unwritable(String),
    #[error(transparent)]
    Save(#[from] crate::store::SaveError),
}

/// A cookie jar, optionally backed by a file.
#[derive(Debug)]
pub struct CookieJar {
    store: RwLock<cookie_store::CookieStore>,
    file: Option<PathBuf>,
    changed: AtomicBool,
}

impl CookieJar {
    /// An empty jar that lives only in memory.
    pub fn in_memory() -> CookieJar {
        CookieJar {
            store: RwLock::new(cookie_store::CookieStore::default()),
            file: None,
            changed: AtomicBool::new(false),
        }
    }

    /// The jar kept in `file`; empty when the file does not exist yet. A file that cannot be
    /// read is reported, not silently replaced.
    pub fn open(file: &Path) -> Result<CookieJar, JarError> {
        let store = match std::fs::File::open(file) {
            Ok(handle) => {
                cookie_store::serde::json::load_all(BufReader::new(handle)).map_err(|e| {
                    JarError::NotAJar {
                        file: file.to_owned(),
                        reason: e.to_string(),
                    }
                })?
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Default::default(),
            Err(source) => {
                return Err(JarError::Unreadable {
                    file: file.to_owned(),
                    source,
                });
            }
        };
        Ok(CookieJar {
            store: RwLock::new(store),
            file: Some(file.to_owned()),
            changed: AtomicBool::new(false),
        })
    }

    /// Where a collection's jar lives: `<state>/cookies/<collection dir name>-<hash>.json`, the
    /// hash of the collection's absolute path keeping two same-named collections apart.
    pub fn file_for(state_dir: &Path, collection_dir: &Path) -> PathBuf {
        let absolute =
            std::path::absolute(collection_dir).unwrap_or_else(|_| collection_dir.to_owned());
        let name = absolute
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // FNV-1a: stable across runs and platforms, unlike std's randomly seeded hasher.
        let hash = absolute
            .to_string_lossy()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            });
        state_dir
            .join("cookies")
            .join(format!("{name}-{hash:016x}.json"))
    }

    /// Every cookie in the jar, expired ones excluded.
    pub fn list(&self) -> Vec<CookieView> {
        let Ok(store) = self.store.read() else {
            return Vec::new();
        };
        store
            .iter_unexpired()
            .map(|cookie| CookieView {
                name: cookie.name().to_owned(),
                value: cookie.value().to_owned(),
                domain: match &cookie.domain {
                    cookie_store::CookieDomain::HostOnly(host) => host.clone(),
                    cookie_store::CookieDomain::Suffix(suffix) => format!(".{suffix}"),
                    _ => String::new(),
                },
                path: AsRef::<str>::as_ref(&cookie.path).to_owned(),
                expires: match cookie.expires {
                    cookie_store::CookieExpiration::AtUtc(at) => Some(at.to_string()),
                    cookie_store::CookieExpiration::SessionEnd => None,
                },
                secure: cookie.secure().unwrap_or(false),
                http_only: cookie.http_only().unwrap_or(false),
            })
            .collect()
    }

    pub fn clear(&self) {
        if let Ok(mut store) = self.store.write() {
            store.clear();
            self.changed.store(true, Ordering::SeqCst);
        }
    }

    /// Writes the jar to its file if it changed since the last save. Session cookies are kept
    /// too: a Courier "session" is the collection's life, not one process's.
    pub fn save_if_changed(&self) -> Result<(), JarError> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        if !self.changed.swap(false, Ordering::SeqCst) {
            return Ok(());
        }
        let mut bytes = Vec::new();
        {
            let store = self.store.read().map_err(|_| JarError::Poisoned)?;
            cookie_store::serde::json::save_incl_expired_and_nonpersistent(&store, &mut bytes)
                .map_err(|e| JarError::Unwritable(e.to_string()))?;
        }
        Ok(crate::store::write_atomic(file, &bytes)?)
    }
}

impl reqwest::cookie::CookieStore for CookieJar {
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &url::Url) {
        let cookies: Vec<_> = cookie_headers
            .filter_map(|value| value.to_str().ok())
            .filter_map(|text| cookie_store::RawCookie::parse(text.to_owned()).ok())
            .collect();
        if cookies.is_empty() {
            return;
        }
        if let Ok(mut store) = self.store.write() {
            store.store_response_cookies(cookies.into_iter(), url);
            self.changed.store(true, Ordering::SeqCst);
        }
    }

    fn cookies(&self, url: &url::Url) -> Option<HeaderValue> {
        let store = self.store.read().ok()?;
        let header = store
            .get_request_values(url)
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        if header.is_empty() {
            return None;
        }
        HeaderValue::from_str(&header).ok()
    }
}
