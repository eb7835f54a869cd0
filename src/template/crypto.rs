//! The cryptography behind the template functions: digests, HMAC and signed JWTs, on `ring`
//! (already Courier's TLS and randomness) and `md-5` (already its digest auth). Each failure
//! is a sentence about the argument at fault; [`super::functions`] names the function.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use ring::signature::{self, EcdsaKeyPair, RsaKeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject as _;

/// How bytes are written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Hex,
    Base64,
    /// URL-safe and unpadded, as JWTs are (RFC 7515).
    Base64Url,
}

impl Encoding {
    pub const NAMES: &str = "hex, base64 or base64url";

    pub fn parse(name: &str) -> Option<Encoding> {
        match name {
            "hex" => Some(Encoding::Hex),
            "base64" => Some(Encoding::Base64),
            "base64url" => Some(Encoding::Base64Url),
            _ => None,
        }
    }

    pub fn encode(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Hex => bytes.iter().map(|b| format!("{b:02x}")).collect(),
            Encoding::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
            Encoding::Base64Url => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        }
    }
}

/// The digest algorithms `hmac` and the digest functions take.
pub const DIGESTS: &str = "sha1, sha256, sha384 or sha512";

/// A digest of `data` by its name (`sha256`…, and `md5` for the function of that name).
pub fn digest(algorithm: &str, data: &[u8]) -> Option<Vec<u8>> {
    use md5::Digest as _;
    let ring_algorithm = match algorithm {
        "md5" => return Some(md5::Md5::digest(data).to_vec()),
        "sha1" => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        "sha256" => &ring::digest::SHA256,
        "sha384" => &ring::digest::SHA384,
        "sha512" => &ring::digest::SHA512,
        _ => return None,
    };
    Some(ring::digest::digest(ring_algorithm, data).as_ref().to_vec())
}

/// HMAC of `data` with `key` (RFC 2104); None for an unknown algorithm.
pub fn hmac(algorithm: &str, key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let algorithm = match algorithm {
        "sha1" => ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        "sha256" => ring::hmac::HMAC_SHA256,
        "sha384" => ring::hmac::HMAC_SHA384,
        "sha512" => ring::hmac::HMAC_SHA512,
        _ => return None,
    };
    let key = ring::hmac::Key::new(algorithm, key);
    Some(ring::hmac::sign(&key, data).as_ref().to_vec())
}

/// The JWT algorithms `jwt` signs with (RFC 7518).
pub const JWT_ALGORITHMS: &str = "HS256, HS384, HS512, RS256, RS384, RS512, PS256, ES256 or ES384";

/// Which argument of `jwt` was wrong, and why.
#[derive(Debug)]
pub struct JwtError {
    pub argument: &'static str,
    pub reason: String,
}

fn jwt_error(argument: &'static str, reason: impl Into<String>) -> JwtError {
    JwtError {
        argument,
        reason: reason.into(),
    }
}

/// What `jwt` signs: the claims get `iat` (now) unless they have one, and `exp`: now plus
/// `lifetime` when one is given, else theirs, else an hour from now.
pub struct JwtClaims<'a> {
    pub algorithm: &'a str,
    pub key: &'a str,
    pub claims: &'a str,
    pub lifetime: Option<Duration>,
    pub now: SystemTime,
}

/// A signed compact JWT (RFC 7519).
pub fn jwt(input: &JwtClaims<'_>) -> Result<String, JwtError> {
    let mut claims: serde_json::Map<String, serde_json::Value> = serde_json::from_str(input.claims)
        .map_err(|err| {
            jwt_error(
                "claims",
                format!("not a JSON object ({err}): {}", input.claims),
            )
        })?;
    let now = input
        .now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    claims.entry("iat").or_insert(now.into());
    match input.lifetime {
        Some(lifetime) => {
            claims.insert("exp".into(), (now + lifetime.as_secs()).into());
        }
        None => {
            claims.entry("exp").or_insert((now + 3600).into());
        }
    }
    let header = serde_json::json!({ "alg": input.algorithm, "typ": "JWT" });
    let encode =
        |value: &serde_json::Value| Encoding::Base64Url.encode(value.to_string().as_bytes());
    let signing_input = format!("{}.{}", encode(&header), encode(&claims.into()));
    let signature = sign(input.algorithm, input.key, signing_input.as_bytes())?;
    Ok(format!(
        "{signing_input}.{}",
        Encoding::Base64Url.encode(&signature)
    ))
}

fn sign(algorithm: &str, key: &str, message: &[u8]) -> Result<Vec<u8>, JwtError> {
    let hmac_digest = match algorithm {
        "HS256" => Some("sha256"),
        "HS384" => Some("sha384"),
        "HS512" => Some("sha512"),
        _ => None,
    };
    if let Some(digest) = hmac_digest {
        return hmac(digest, key.as_bytes(), message).ok_or_else(|| jwt_error("algorithm", ""));
    }
    let rsa = match algorithm {
        "RS256" => Some(&signature::RSA_PKCS1_SHA256 as &dyn signature::RsaEncoding),
        "RS384" => Some(&signature::RSA_PKCS1_SHA384 as &dyn signature::RsaEncoding),
        "RS512" => Some(&signature::RSA_PKCS1_SHA512 as &dyn signature::RsaEncoding),
        "PS256" => Some(&signature::RSA_PSS_SHA256 as &dyn signature::RsaEncoding),
        _ => None,
    };
    let ecdsa = match algorithm {
        "ES256" => Some(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
        "ES384" => Some(&signature::ECDSA_P384_SHA384_FIXED_SIGNING),
        _ => None,
    };
    let random = ring::rand::SystemRandom::new();
    let private_key = || {
        PrivateKeyDer::from_pem_slice(key.as_bytes()).map_err(|err| {
            jwt_error(
                "key",
                format!(
                    "{algorithm} needs a private key in PEM (-----BEGIN PRIVATE KEY-----): {err}"
                ),
            )
        })
    };
    if let Some(encoding) = rsa {
        let pair = match private_key()? {
            PrivateKeyDer::Pkcs8(der) => RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()),
            PrivateKeyDer::Pkcs1(der) => RsaKeyPair::from_der(der.secret_pkcs1_der()),
            _ => return Err(jwt_error("key", format!("{algorithm} needs an RSA key"))),
        }
        .map_err(|err| jwt_error("key", format!("not a usable RSA key: {err}")))?;
        let mut signature = vec![0; pair.public().modulus_len()];
        pair.sign(encoding, &random, message, &mut signature)
            .map_err(|_| jwt_error("key", "signing with it failed"))?;
        return Ok(signature);
    }
    if let Some(curve) = ecdsa {
        let PrivateKeyDer::Pkcs8(der) = private_key()? else {
            return Err(jwt_error(
                "key",
                format!(
                    "{algorithm} needs a PKCS#8 EC key (-----BEGIN PRIVATE KEY-----; \
                     `openssl pkcs8 -topk8 -nocrypt` converts one)"
                ),
            ));
        };
        let pair = EcdsaKeyPair::from_pkcs8(curve, der.secret_pkcs8_der(), &random)
            .map_err(|err| jwt_error("key", format!("not a usable {algorithm} key: {err}")))?;
        let signature = pair
            .sign(&random, message)
            .map_err(|_| jwt_error("key", "signing with it failed"))?;
        return Ok(signature.as_ref().to_vec());
    }
    Err(jwt_error(
        "algorithm",
        format!("`{algorithm}` is not {JWT_ALGORITHMS}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn hmac_matches_rfc_4231_and_digests_their_published_values() {
        // RFC 4231, test case 2.
        let mac = hmac("sha256", b"Jefe", b"what do ya want for nothing?").unwrap();
        assert_eq!(
            Encoding::Hex.encode(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let mac = hmac("sha512", b"Jefe", b"what do ya want for nothing?").unwrap();
        assert!(
            Encoding::Hex
                .encode(&mac)
                .starts_with("164b7a7bfcf819e2e395fbe73b56e0a387bd6422")
        );
        assert_eq!(
            Encoding::Hex.encode(&digest("md5", b"").unwrap()),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        assert_eq!(
            digest("sha256", b"abc").unwrap(),
            hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(Encoding::Base64Url.encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(Encoding::Base64.encode(&[0xfb, 0xff]), "+/8=");
        assert!(hmac("sha3", b"k", b"d").is_none());
    }

    #[test]
    fn an_hs256_token_matches_rfc_7515s_signing_and_gets_its_times() {
        let token = jwt(&JwtClaims {
            algorithm: "HS256",
            key: "secret",
            claims: r#"{"sub":"ada"}"#,
            lifetime: Some(Duration::from_secs(600)),
            now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_000),
        })
        .unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[1])
            .unwrap();
        assert_eq!(
            String::from_utf8(payload).unwrap(),
            r#"{"sub":"ada","iat":1000,"exp":1600}"#
        );
        let signed = format!("{}.{}", parts[0], parts[1]);
        let expected = hmac("sha256", b"secret", signed.as_bytes()).unwrap();
        assert_eq!(parts[2], Encoding::Base64Url.encode(&expected));
    }

    #[test]
    fn bad_keys_and_claims_name_the_argument() {
        let with = |algorithm, key, claims| {
            jwt(&JwtClaims {
                algorithm,
                key,
                claims,
                lifetime: None,
                now: SystemTime::UNIX_EPOCH,
            })
            .unwrap_err()
        };
        let err = with("RS256", "not a key", "{}");
        assert_eq!(err.argument, "key");
        assert!(err.reason.contains("PEM"), "{}", err.reason);
        let err = with("HS256", "k", "[1]");
        assert_eq!(err.argument, "claims");
        let err = with("none", "k", "{}");
        assert_eq!(err.argument, "algorithm");
        assert!(err.reason.contains("HS256"), "{}", err.reason);
    }
}
