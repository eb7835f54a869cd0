//! The `history` section of `config.json`: whether exchanges are remembered, and how many and
//! how much of them. Every field is optional; [`HistorySettings`] fills in the defaults.

use serde::{Deserialize, Serialize};

/// `config.json`'s `history`, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryConfig {
    /// `false` keeps no history at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Exchanges kept per request (pinned ones are kept besides); default 50.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_request: Option<u32>,
    /// Bytes the whole history may hold (bodies as stored, compressed); default 1 GB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
    /// Bytes of one response body kept; the rest is counted, not kept. Default 64 MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_cap: Option<u64>,
}

impl HistoryConfig {
    pub fn is_empty(&self) -> bool {
        self == &HistoryConfig::default()
    }

    /// The settings, defaults filled in.
    pub fn settings(&self) -> HistorySettings {
        let default = HistorySettings::default();
        HistorySettings {
            enabled: self.enabled.unwrap_or(default.enabled),
            per_request: self.per_request.unwrap_or(default.per_request),
            max_bytes: self.max_bytes.unwrap_or(default.max_bytes),
            body_cap: self.body_cap.unwrap_or(default.body_cap),
        }
    }
}

/// What the history keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistorySettings {
    pub enabled: bool,
    pub per_request: u32,
    pub max_bytes: u64,
    pub body_cap: u64,
}

impl Default for HistorySettings {
    fn default() -> Self {
        HistorySettings {
            enabled: true,
            per_request: 50,
            max_bytes: 1_000_000_000,
            body_cap: 64 * 1024 * 1024,
        }
    }
}
