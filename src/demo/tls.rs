//! Certificates for the demo server (and for tests): a throwaway CA and a server certificate for
//! `localhost` and `127.0.0.1` signed by it. Clients trust the CA (`--ca-out` writes it out).

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
    SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// Why certificates or a TLS config could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    /// rcgen failed at one step (`what`: "CA key", "server certificate"…).
    #[error("{what}: {source}")]
    Certificate {
        what: &'static str,
        source: rcgen::Error,
    },
    #[error("the server's TLS config: {0}")]
    Config(#[from] rustls::Error),
}

/// A CA and a leaf certificate signed by it.
pub struct DemoCertificates {
    pub ca_pem: String,
    pub ca_der: CertificateDer<'static>,
    pub leaf_pem: String,
    pub leaf_der: CertificateDer<'static>,
    pub leaf_key_pem: String,
    leaf_key_der: Vec<u8>,
}

impl DemoCertificates {
    /// A new CA and a server certificate for `localhost`, `127.0.0.1` and `::1`.
    pub fn generate() -> Result<Self, TlsSetupError> {
        Self::generate_for(vec!["localhost".to_owned()], true)
    }

    /// A new CA and a certificate signed by it, for the given DNS names (and loopback addresses
    /// when `loopback` is set). Tests use it for client certificates too.
    pub fn generate_for(dns_names: Vec<String>, loopback: bool) -> Result<Self, TlsSetupError> {
        let fail =
            |what: &'static str, source: rcgen::Error| TlsSetupError::Certificate { what, source };
        let ca_key = KeyPair::generate().map_err(|e| fail("CA key", e))?;
        let mut ca_params =
            CertificateParams::new(Vec::<String>::new()).map_err(|e| fail("CA parameters", e))?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Courier demo CA");
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key)
            .map_err(|e| fail("CA certificate", e))?;

        let leaf_key = KeyPair::generate().map_err(|e| fail("server key", e))?;
        let mut leaf_params =
            CertificateParams::new(dns_names).map_err(|e| fail("server parameters", e))?;
        leaf_params
            .distinguished_name
            .push(DnType::CommonName, "Courier demo server");
        if loopback {
            leaf_params
                .subject_alt_names
                .push(SanType::IpAddress([127, 0, 0, 1].into()));
            leaf_params
                .subject_alt_names
                .push(SanType::IpAddress(std::net::Ipv6Addr::LOCALHOST.into()));
        }
        let leaf = leaf_params
            .signed_by(&leaf_key, &ca)
            .map_err(|e| fail("server certificate", e))?;

        Ok(DemoCertificates {
            ca_pem: ca.pem(),
            ca_der: ca.der().clone(),
            leaf_pem: leaf.pem(),
            leaf_der: leaf.der().clone(),
            leaf_key_pem: leaf_key.serialize_pem(),
            leaf_key_der: leaf_key.serialize_der(),
        })
    }

    /// The leaf's private key, for a rustls config.
    pub fn leaf_key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.leaf_key_der.clone()))
    }

    /// A server-side TLS config offering h2 and http/1.1 by ALPN, without client auth.
    pub fn server_config(&self) -> Result<rustls::ServerConfig, TlsSetupError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(
                vec![self.leaf_der.clone(), self.ca_der.clone()],
                self.leaf_key(),
            )?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(config)
    }

    pub(crate) fn acceptor(&self) -> Result<tokio_rustls::TlsAcceptor, TlsSetupError> {
        Ok(tokio_rustls::TlsAcceptor::from(Arc::new(
            self.server_config()?,
        )))
    }
}
