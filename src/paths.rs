//! Where Courier keeps its files: the config directory (`config.json`), the data directory
//! (default collections), the state directory (drafts, history, cookies, logs) and the cache
//! directory (spilled response bodies). From the platform's conventions via `directories`, or
//! all under one folder when `COURIER_HOME` is set (tests, portable installs).

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    pub state_dir: PathBuf,
    pub cache_dir: PathBuf,
}

impl Paths {
    /// The platform's directories, or `$COURIER_HOME/{config,data,state,cache}`.
    pub fn discover() -> Paths {
        if let Some(home) = std::env::var_os("COURIER_HOME").filter(|h| !h.is_empty()) {
            return Paths::under(Path::new(&home));
        }
        match directories::ProjectDirs::from("dev", "courier", "courier") {
            Some(dirs) => Paths {
                config_dir: dirs.config_dir().to_owned(),
                data_dir: dirs.data_dir().to_owned(),
                // Only Linux has a state directory; elsewhere local data is the nearest thing.
                state_dir: dirs
                    .state_dir()
                    .unwrap_or_else(|| dirs.data_local_dir())
                    .to_owned(),
                cache_dir: dirs.cache_dir().to_owned(),
            },
            // No home directory at all (a bare container): keep everything beside us.
            None => Paths::under(Path::new(".courier")),
        }
    }

    pub fn under(root: &Path) -> Paths {
        Paths {
            config_dir: root.join("config"),
            data_dir: root.join("data"),
            state_dir: root.join("state"),
            cache_dir: root.join("cache"),
        }
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.json")
    }

    /// The draft journal: unsaved edits, kept across crashes.
    pub fn draft_journal(&self) -> PathBuf {
        self.state_dir.join("drafts.json")
    }

    pub fn log_file(&self) -> PathBuf {
        self.state_dir.join("logs").join("courier.log")
    }

    /// The collections shown when no directory is given: `./collections` when it exists, else
    /// the data directory's `collections`.
    pub fn default_collections(&self) -> PathBuf {
        let local = PathBuf::from("collections");
        if local.is_dir() {
            local
        } else {
            self.data_dir.join("collections")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_lives_under_one_root_when_asked() {
        let paths = Paths::under(Path::new("/tmp/x"));
        assert_eq!(paths.config_file(), Path::new("/tmp/x/config/config.json"));
        assert_eq!(paths.log_file(), Path::new("/tmp/x/state/logs/courier.log"));
    }
}
