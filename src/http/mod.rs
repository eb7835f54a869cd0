//! The HTTP engine: turns a saved request into a [`PreparedRequest`] (inheritance resolved,
//! templates rendered) and sends it, reporting each exchange as a stream of [`EngineEvent`]s.
//!
//! The engine keeps one reqwest `Client` per distinct set of transport settings so keep-alive
//! connections are pooled across sends, and streams response bodies chunk by chunk: a body is
//! never buffered whole here. It knows nothing of the terminal or of `App`; the TUI and
//! `courier send` are two consumers of the same events.

mod client;
pub mod cookies;
mod decode;
pub mod effects;
mod engine;
mod events;
mod exchange;
pub mod hooks;
mod middleware;
mod outgoing;
mod prepare;
mod prepare_parts;
mod probe;
pub mod sigv4;
pub mod websocket;

pub mod curl;
pub mod digest;
pub mod oauth2;
mod oauth2_device;
mod oauth2_pkce;
pub use cookies::{CookieJar, CookieView, JarError};
pub use engine::{Engine, ExchangeHandle};
pub use events::{
    EngineEvent, ExchangeId, Failure, FailureKind, RedirectHop, ResponseHead, SentBody,
    SentRequest, Summary, Timing, mask_secret_bytes, mask_secrets,
};
pub use middleware::Middleware;
pub use prepare::{
    DEFAULT_DECOMPRESS_LIMIT, PartContent, PrepareError, PreparedBody, PreparedPart,
    PreparedRequest, Proxy, SendContext, TransportOptions, prepare, uses_demo, with_default_scheme,
};

/// Installs rustls' ring crypto provider as the process default (reqwest is built without a
/// provider of its own). Safe to call more than once.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// `bytes` random bytes from the system's generator, in hex: nonces, UUIDs' raw material,
/// demo tokens. The generator does not fail on Linux; a failure would leave zeros, still a value.
pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut buffer);
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}
