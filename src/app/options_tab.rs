//! The Options tab of the request pane: its rows (timeouts, HTTP version, redirects, TLS
//! verification, proxy), how each shows its value (empty when inherited), and how a typed
//! value is taken or a choice is cycled.

use crate::model::ValueError;
use crate::model::{DurationText, HttpVersion};
use crate::store::LoadedRequest;

/// The rows of the Options tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionItem {
    ConnectTimeout,
    ReadTimeout,
    TotalTimeout,
    HttpVersion,
    FollowRedirects,
    VerifyTls,
    Proxy,
}

impl OptionItem {
    pub const ALL: [OptionItem; 7] = [
        OptionItem::ConnectTimeout,
        OptionItem::ReadTimeout,
        OptionItem::TotalTimeout,
        OptionItem::HttpVersion,
        OptionItem::FollowRedirects,
        OptionItem::VerifyTls,
        OptionItem::Proxy,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OptionItem::ConnectTimeout => "connect timeout",
            OptionItem::ReadTimeout => "read timeout",
            OptionItem::TotalTimeout => "total timeout",
            OptionItem::HttpVersion => "HTTP version",
            OptionItem::FollowRedirects => "follow redirects",
            OptionItem::VerifyTls => "verify TLS",
            OptionItem::Proxy => "proxy",
        }
    }

    /// The value as shown and edited; empty means inherited.
    pub fn value(self, request: &LoadedRequest) -> String {
        let options = &request.request.options;
        let yes_no = |v: Option<bool>| {
            v.map_or(
                String::new(),
                |v| if v { "yes".into() } else { "no".into() },
            )
        };
        match self {
            OptionItem::ConnectTimeout => options
                .timeouts
                .connect
                .as_ref()
                .map_or(String::new(), |d| d.as_str().to_owned()),
            OptionItem::ReadTimeout => options
                .timeouts
                .read
                .as_ref()
                .map_or(String::new(), |d| d.as_str().to_owned()),
            OptionItem::TotalTimeout => options
                .timeouts
                .total
                .as_ref()
                .map_or(String::new(), |d| d.as_str().to_owned()),
            OptionItem::HttpVersion => match options.http {
                None => String::new(),
                Some(HttpVersion::Auto) => "auto".into(),
                Some(HttpVersion::Http1) => "1.1".into(),
                Some(HttpVersion::Http2) => "2".into(),
            },
            OptionItem::FollowRedirects => yes_no(options.redirects.follow),
            OptionItem::VerifyTls => yes_no(options.tls.verify),
            OptionItem::Proxy => options.proxy.clone().unwrap_or_default(),
        }
    }

    /// Choices cycle with Enter; the other items are typed.
    pub(super) fn cycles(self) -> bool {
        matches!(
            self,
            OptionItem::HttpVersion | OptionItem::FollowRedirects | OptionItem::VerifyTls
        )
    }
}

/// Sets a typed option; an empty value means "inherit".
pub(super) fn set_option(
    item: OptionItem,
    text: &str,
    request: &mut LoadedRequest,
) -> Result<bool, ValueError> {
    let options = &mut request.request.options;
    let duration = |text: &str| -> Result<Option<DurationText>, ValueError> {
        if text.is_empty() {
            Ok(None)
        } else {
            DurationText::try_from(text.to_owned()).map(Some)
        }
    };
    let before = options.clone();
    match item {
        OptionItem::ConnectTimeout => options.timeouts.connect = duration(text)?,
        OptionItem::ReadTimeout => options.timeouts.read = duration(text)?,
        OptionItem::TotalTimeout => options.timeouts.total = duration(text)?,
        OptionItem::Proxy => options.proxy = (!text.is_empty()).then(|| text.to_owned()),
        _ => {}
    }
    Ok(*options != before)
}

/// Enter on a choice: inherit → the first value → … → inherit.
pub(super) fn cycle_option(item: OptionItem, request: &mut LoadedRequest) {
    let options = &mut request.request.options;
    let next_bool = |value: Option<bool>| match value {
        None => Some(true),
        Some(true) => Some(false),
        Some(false) => None,
    };
    match item {
        OptionItem::HttpVersion => {
            options.http = match options.http {
                None => Some(HttpVersion::Auto),
                Some(HttpVersion::Auto) => Some(HttpVersion::Http1),
                Some(HttpVersion::Http1) => Some(HttpVersion::Http2),
                Some(HttpVersion::Http2) => None,
            }
        }
        OptionItem::FollowRedirects => {
            options.redirects.follow = next_bool(options.redirects.follow)
        }
        OptionItem::VerifyTls => options.tls.verify = next_bool(options.tls.verify),
        _ => {}
    }
}
