//! Connections of a load run: TCP to an address looked up once, TLS with the request's
//! options (the platform's roots and its CA file, a client certificate, or no verification),
//! then HTTP/1.1 on the wire (`wire`) or HTTP/2 on hyper's client connection API (by prior
//! knowledge, or as TLS's ALPN agreed). No pool to look up: a worker holds its connection for
//! as long as the server keeps it open.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::client::conn::http2;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, pem::PemObject};
use tokio::net::TcpStream;

use super::stats::ErrorKind;
use super::target::Target;
use super::wire::Wire;

type TlsStream = tokio_rustls::client::TlsStream<TcpStream>;

/// One open connection, ready to send on.
pub enum Conn {
    Http1(Wire<TcpStream>),
    Http1Tls(Box<Wire<TlsStream>>),
    Http2(http2::SendRequest<Full<Bytes>>),
}

impl Conn {
    /// Whether the connection can no longer send: the server closed it, or it failed.
    pub fn is_closed(&self) -> bool {
        match self {
            Conn::Http1(wire) => wire.is_closed(),
            Conn::Http1Tls(wire) => wire.is_closed(),
            Conn::Http2(sender) => sender.is_closed(),
        }
    }
}

/// An error that ended a request, with its kind and the words it came with.
pub type Failure = (ErrorKind, String);

/// Where and how a run connects: fixed for the whole run.
pub struct Connector {
    addresses: Vec<SocketAddr>,
    tls: Option<(tokio_rustls::TlsConnector, ServerName<'static>)>,
    http2_only: bool,
    connect_timeout: Option<std::time::Duration>,
}

/// Why a run cannot begin to connect.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    #[error("cannot look up {host}: {source}")]
    Lookup {
        host: String,
        source: std::io::Error,
    },
    #[error("{host} has no address")]
    NoAddress { host: String },
    #[error("TLS: {0}")]
    Tls(String),
    #[error("the load run's thread ended before its summary")]
    Ended,
}

impl Connector {
    /// Looks the host up once and builds the TLS settings once.
    pub async fn new(target: &Target) -> Result<Connector, ConnectorError> {
        let addresses: Vec<SocketAddr> =
            tokio::net::lookup_host((target.host.as_str(), target.port))
                .await
                .map_err(|source| ConnectorError::Lookup {
                    host: target.host.clone(),
                    source,
                })?
                .collect();
        if addresses.is_empty() {
            return Err(ConnectorError::NoAddress {
                host: target.host.clone(),
            });
        }
        let tls = if target.tls {
            let config = tls_config(target)?;
            let name = ServerName::try_from(target.host.clone())
                .map_err(|e| ConnectorError::Tls(format!("`{}`: {e}", target.host)))?;
            Some((tokio_rustls::TlsConnector::from(Arc::new(config)), name))
        } else {
            None
        };
        Ok(Connector {
            addresses,
            tls,
            http2_only: target.http2_only(),
            connect_timeout: target.transport.connect_timeout,
        })
    }

    /// Opens a connection, within the connect timeout (TCP and TLS together).
    pub async fn open(&self) -> Result<Conn, Failure> {
        match self.connect_timeout {
            None => self.open_now().await,
            Some(limit) => tokio::time::timeout(limit, self.open_now())
                .await
                .unwrap_or_else(|_| {
                    Err((
                        ErrorKind::ConnectTimeout,
                        format!("no connection within {limit:?}"),
                    ))
                }),
        }
    }

    async fn open_now(&self) -> Result<Conn, Failure> {
        let stream = self.tcp().await?;
        let _ = stream.set_nodelay(true);
        match &self.tls {
            None if self.http2_only => http2_handshake(stream).await,
            None => Ok(Conn::Http1(Wire::new(stream))),
            Some((connector, name)) => {
                let stream = connector
                    .connect(name.clone(), stream)
                    .await
                    .map_err(|e| (ErrorKind::Tls, e.to_string()))?;
                let agreed_h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2");
                if self.http2_only || agreed_h2 {
                    http2_handshake(stream).await
                } else {
                    Ok(Conn::Http1Tls(Box::new(Wire::new(stream))))
                }
            }
        }
    }

    /// A TCP connection to the first address that takes one.
    async fn tcp(&self) -> Result<TcpStream, Failure> {
        let mut last = None;
        for address in &self.addresses {
            match TcpStream::connect(address).await {
                Ok(stream) => return Ok(stream),
                Err(err) => last = Some(err),
            }
        }
        let err = last.unwrap_or_else(|| std::io::Error::other("no address"));
        let kind = if err.kind() == std::io::ErrorKind::ConnectionRefused {
            ErrorKind::ConnectRefused
        } else {
            ErrorKind::Connect
        };
        Err((kind, err.to_string()))
    }
}

async fn http2_handshake<S>(stream: S) -> Result<Conn, Failure>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) = http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
        .await
        .map_err(|e| classify(&e))?;
    tokio::spawn(connection);
    Ok(Conn::Http2(sender))
}

/// The kind of a hyper error: the connection reset or closed, or something not HTTP.
pub fn classify(error: &hyper::Error) -> Failure {
    let message = crate::http::describe_error(error);
    let kind = if error.is_parse() || error.is_parse_status() || error.is_user() {
        ErrorKind::Protocol
    } else {
        ErrorKind::Reset
    };
    (kind, message)
}

/// rustls settings from the request's options: ALPN offering HTTP/2 (unless HTTP/1.1 is
/// asked for) and HTTP/1.1, the platform's roots plus the CA file, a client certificate.
fn tls_config(target: &Target) -> Result<rustls::ClientConfig, ConnectorError> {
    crate::http::install_crypto_provider();
    let transport = &target.transport;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ConnectorError::Tls(e.to_string()))?;
    let verifier: Arc<dyn rustls::client::danger::ServerCertVerifier> = if !transport.verify_tls {
        Arc::new(AcceptAnyCertificate(provider))
    } else {
        let extra = match &transport.ca_file {
            None => Vec::new(),
            Some(file) => CertificateDer::pem_file_iter(file)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| ConnectorError::Tls(format!("the CA file {}: {e}", file.display())))?,
        };
        Arc::new(
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider)
                .map_err(|e| ConnectorError::Tls(e.to_string()))?,
        )
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match (&transport.client_cert, &transport.client_key) {
        (Some(cert), Some(key)) => {
            let chain = CertificateDer::pem_file_iter(cert)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| ConnectorError::Tls(format!("{}: {e}", cert.display())))?;
            let key = PrivateKeyDer::from_pem_file(key)
                .map_err(|e| ConnectorError::Tls(format!("{}: {e}", key.display())))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| ConnectorError::Tls(e.to_string()))?
        }
        _ => builder.with_no_client_auth(),
    };
    config.alpn_protocols = match transport.http {
        crate::model::HttpVersion::Http1 => vec![b"http/1.1".to_vec()],
        crate::model::HttpVersion::Http2 => vec![b"h2".to_vec()],
        crate::model::HttpVersion::Auto => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
    };
    Ok(config)
}

/// The verifier of `--insecure` / `verify_tls: false`: any certificate is accepted, the
/// handshake's signatures still checked.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
