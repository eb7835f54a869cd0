//! The template functions through `Scope::render`, as a request file writes them: each with
//! literal arguments, with variables and nested calls, secrets kept secret, and mistakes named.

use std::cell::RefCell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use ring::signature::{self, KeyPair as _};
use rustls_pki_types::pem::PemObject as _;

use super::*;

/// What the world-touching functions did, for the assertions.
#[derive(Default)]
struct Recorded {
    files: RefCell<Vec<String>>,
    commands: RefCell<Vec<Vec<String>>>,
}

impl Effects for Recorded {
    fn read_file(&self, path: &str) -> Result<String, String> {
        self.files.borrow_mut().push(path.to_owned());
        match path {
            "key.pem" => Ok(include_str!("testdata/rs256-test-key.pem").to_owned()),
            _ => Err(format!("cannot read {path}: No such file or directory")),
        }
    }

    fn ask(&self, label: &str, secret: bool) -> Result<String, TemplateError> {
        match label {
            "Code" => Ok("123456".into()),
            _ => Err(TemplateError::NeedsAnswer {
                label: label.to_owned(),
                secret,
            }),
        }
    }

    fn run_command(&self, program: &str, arguments: &[String]) -> Result<String, String> {
        let mut call = vec![program.to_owned()];
        call.extend(arguments.iter().cloned());
        self.commands.borrow_mut().push(call);
        Ok("t0k3n".into())
    }
}

const NOW: Duration = Duration::from_millis(1_795_356_127_123); // 2026-11-22T14:02:07.123Z

fn render_with(
    variables: &[(&str, &str)],
    text: &str,
) -> (Result<String, TemplateError>, Vec<String>) {
    let variables: Variables = variables
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let secrets = vec![("api_secret".to_string(), "s3cret".to_string())];
    let effects = Recorded::default();
    let scope = Scope {
        layers: vec![Layer {
            variables: &variables,
            origin: Origin::File,
        }],
        secrets: &secrets,
        now: Some(UNIX_EPOCH + NOW),
        effects: Some(&effects),
        ..Scope::default()
    };
    let rendered = scope.render(text);
    (rendered, scope.secrets_used.take())
}

fn render(text: &str) -> String {
    render_with(&[], text)
        .0
        .unwrap_or_else(|err| panic!("{text}: {err}"))
}

fn error(text: &str) -> String {
    render_with(&[], text).0.expect_err(text).to_string()
}

#[test]
fn each_function_with_literal_arguments() {
    // RFC 4231, test case 2.
    assert_eq!(
        render(r#"{{hmac "sha256" "Jefe" "what do ya want for nothing?"}}"#),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(
        render(r#"{{hmac "sha256" "Jefe" "what do ya want for nothing?" "base64"}}"#),
        "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
    );
    assert_eq!(
        render("{{sha256 'abc'}}"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(render("{{md5 ''}}"), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(
        render("{{sha1 'abc'}}"),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert!(render("{{sha512 'abc' 'base64url'}}").starts_with("3a81oZNherrMQXNJriBBMRLm"));
    assert_eq!(render("{{base64 'ada:lovelace'}}"), "YWRhOmxvdmVsYWNl");
    assert_eq!(render("{{base64url '\u{fb}\u{ff}'}}"), "w7vDvw");
    assert_eq!(
        render("{{urlencode 'a b&c=d/é'}}"),
        "a%20b%26c%3Dd%2F%C3%A9"
    );
    assert_eq!(render("{{now 'unix'}}"), "1795356127");
    assert_eq!(render("{{now 'unix_ms' '-1s'}}"), "1795356126123");
    assert_eq!(render("{{now 'iso' '+1h'}}"), "2026-11-22T15:02:07.123Z");
    assert_eq!(render("{{now 'http'}}"), "Sun, 22 Nov 2026 14:02:07 GMT");
    assert_eq!(render("{{now '%Y-%m-%d' '-1d'}}"), "2026-11-21");
    assert_eq!(render("{{prompt 'Code'}}"), "123456");
}

#[test]
fn arguments_are_templates_variables_and_nested_calls() {
    let (rendered, secrets) = render_with(
        &[("method", "GET"), ("path", "/orders")],
        r#"{{hmac "sha256" api_secret "{{method}}\n{{path}}\n{{now 'unix'}}" "base64"}}"#,
    );
    let expected = {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"s3cret");
        let tag = ring::hmac::sign(&key, b"GET\n/orders\n1795356127");
        base64::engine::general_purpose::STANDARD.encode(tag.as_ref())
    };
    assert_eq!(rendered.unwrap(), expected);
    assert_eq!(secrets, ["s3cret"], "an HMAC does not give its key back");

    let (basic, secrets) = render_with(
        &[("user", "ada")],
        "Basic {{base64 '{{user}}:{{api_secret}}'}}",
    );
    let basic = basic.unwrap();
    assert_eq!(basic, "Basic YWRhOnMzY3JldA==");
    assert!(
        secrets.iter().any(|s| s == "YWRhOnMzY3JldA=="),
        "an encoding of a secret is masked too: {secrets:?}"
    );
    assert_eq!(
        render("{{base64 (sha256 'abc' 'hex')}}"),
        base64::engine::general_purpose::STANDARD
            .encode("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    let (token, secrets) = render_with(&[], "{{command 'op' 'read' 'op://vault/api/token'}}");
    assert_eq!(token.unwrap(), "t0k3n");
    assert_eq!(
        secrets,
        ["t0k3n"],
        "a program's output may be a token: masked"
    );
}

#[test]
fn jwt_signs_hs256_rs256_and_es256_with_times_from_now() {
    let parts = |token: &str| -> (serde_json::Value, serde_json::Value, Vec<u8>, String) {
        let pieces: Vec<&str> = token.split('.').collect();
        let decode = |p: &str| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .unwrap()
        };
        (
            serde_json::from_slice(&decode(pieces[0])).unwrap(),
            serde_json::from_slice(&decode(pieces[1])).unwrap(),
            decode(pieces[2]),
            format!("{}.{}", pieces[0], pieces[1]),
        )
    };
    let token = render(r#"{{jwt "RS256" (file "key.pem") '{"sub":"ada","aud":"api"}' "15m"}}"#);
    let (header, claims, signature, signed) = parts(&token);
    assert_eq!(header, serde_json::json!({"alg": "RS256", "typ": "JWT"}));
    assert_eq!(
        claims,
        serde_json::json!({"sub": "ada", "aud": "api", "iat": 1_795_356_127u64, "exp": 1_795_357_027u64})
    );
    let der = rustls_pki_types::PrivateKeyDer::from_pem_slice(include_bytes!(
        "testdata/rs256-test-key.pem"
    ))
    .unwrap();
    let pair = signature::RsaKeyPair::from_pkcs8(der.secret_der()).unwrap();
    signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, pair.public_key())
        .verify(signed.as_bytes(), &signature)
        .expect("a valid RS256 signature");

    let es = include_str!("testdata/es256-test-key.pem").replace('\n', "\\n");
    let token = render(&format!(
        r#"{{{{jwt "ES256" "{es}" '{{"sub":"ada","exp":5}}'}}}}"#
    ));
    let (_, claims, signature, signed) = parts(&token);
    assert_eq!(
        claims["exp"], 5,
        "the claims' own exp is kept without a lifetime"
    );
    let der = rustls_pki_types::PrivateKeyDer::from_pem_slice(include_bytes!(
        "testdata/es256-test-key.pem"
    ))
    .unwrap();
    let random = ring::rand::SystemRandom::new();
    let pair = signature::EcdsaKeyPair::from_pkcs8(
        &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        der.secret_der(),
        &random,
    )
    .unwrap();
    signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, pair.public_key())
        .verify(signed.as_bytes(), &signature)
        .expect("a valid ES256 signature");

    let (_, claims, _, _) = parts(&render(r#"{{jwt "HS256" "k" '{}'}}"#));
    assert_eq!(
        claims["exp"],
        1_795_356_127u64 + 3600,
        "an hour unless said"
    );
}

#[test]
fn mistakes_name_the_function_and_the_argument() {
    assert_eq!(
        error(r#"{{hmac "sha3" "k" "d"}}"#),
        "`hmac` algorithm: `sha3` is not sha1, sha256, sha384 or sha512"
    );
    assert_eq!(
        error(r#"{{hmac "sha256" "k"}}"#),
        "`hmac` takes algorithm key data encoding?, not 2 argument(s)"
    );
    assert!(
        error("{{hcam 'sha256' 'k' 'd'}}")
            .starts_with("unknown function `hcam` (the functions are hmac, ")
    );
    assert_eq!(
        error("{{sha256 'x' 'hexx'}}"),
        "`sha256` encoding: `hexx` is not hex, base64 or base64url"
    );
    assert!(
        error(r#"{{jwt "RS256" "not a key" '{}'}}"#)
            .starts_with("`jwt` key: RS256 needs a private key in PEM")
    );
    assert!(
        error(r#"{{jwt "HS256" "k" 'sub=ada'}}"#).starts_with("`jwt` claims: not a JSON object")
    );
    assert!(
        error(r#"{{jwt "HS256" "k" '{}' 'soon'}}"#)
            .starts_with("`jwt` lifetime: `soon` is not a duration")
    );
    assert!(
        error("{{now 'yesterday'}}").starts_with("`now` format: `yesterday` is not unix, unix_ms")
    );
    assert!(
        error("{{now 'unix' 'tomorrow'}}").starts_with("`now` offset: `tomorrow` is not like +1h")
    );
    assert_eq!(
        error("{{file 'missing.txt'}}"),
        "`file` path: cannot read missing.txt: No such file or directory"
    );
    assert_eq!(
        error("{{sha256 undefined}}"),
        "unknown variable `undefined`"
    );
    assert!(error("{{sha256 'x}}").contains("never closed"));
    assert_eq!(
        render_with(&[], "{{prompt 'Password' 'secret'}}").0,
        Err(TemplateError::NeedsAnswer {
            label: "Password".into(),
            secret: true
        })
    );
    let bare = Scope::default();
    assert_eq!(
        bare.render("{{file 'x'}}").unwrap_err().to_string(),
        "`file`: cannot be used here (only in a request being sent)"
    );
}

#[test]
fn a_variable_whose_name_has_spaces_is_still_a_variable() {
    let (rendered, _) = render_with(&[("my var", "x")], "{{my var}}");
    assert_eq!(
        rendered.unwrap(),
        "x",
        "imported collections keep such names"
    );
    let time = SystemTime::UNIX_EPOCH + NOW;
    assert_eq!(iso_timestamp(time), "2026-11-22T14:02:07.123Z");
}
