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
    SentRequest, Summary, Timing, mask_secret_bytes, mask_secret_bytes_at, mask_secrets,
};
pub use exchange::describe_error;
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

/// `count` random bytes from the system's generator: nonces, PKCE verifiers, UUIDs' raw
/// material. The generator does not fail on Linux; a failure would leave zeros, still a value.
pub fn random_bytes(count: usize) -> Vec<u8> {
    let mut buffer = vec![0u8; count];
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut buffer);
    buffer
}

/// `bytes` random bytes in hex: demo tokens, nonces.
pub fn random_hex(bytes: usize) -> String {
    random_bytes(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A random 64-bit number, for the templates' `$uuid` and `$randomInt`.
pub fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&random_bytes(8));
    u64::from_le_bytes(bytes)
}
