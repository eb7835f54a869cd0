//! curl's habits for `courier send`: flags that build an ad-hoc request, or override a saved
//! one (`-X`, `-H`, `-d`, `--data-binary`, `-F`, `-u`, timeouts, TLS, proxy, redirects).

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;

use super::{RequestShape, SendArgs};
use crate::http::{PartContent, PreparedBody, PreparedPart, PreparedRequest, Proxy};
use crate::model::HttpVersion;

/// Whether `courier send`'s argument is a URL rather than a request's name: it has a
/// scheme, or it starts with what only a host can (`localhost`, an IP address, `host:port`).
pub fn is_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if ["http://", "https://", "ws://", "wss://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
    {
        return true;
    }
    let host = lower.split('/').next().unwrap_or_default();
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let numeric_port = port.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    name == "localhost"
        || name.parse::<std::net::Ipv4Addr>().is_ok()
        || host.starts_with('[')
        || (numeric_port && !name.is_empty())
}

/// A flag of `courier send` that does not say what it means, said plainly.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("-H `{0}`: write a header as `Name: value`")]
    Header(String),
    #[error(
        "--aws-sigv4 `{0}`: write it as aws:amz:REGION:SERVICE (curl's form), or aws:amz with a \
         SERVICE.REGION.amazonaws.com host"
    )]
    AwsProvider(String),
    #[error("-H `{header}`: {source}")]
    HeaderTemplate {
        header: String,
        source: crate::template::TemplateError,
    },
    #[error("-d @{file}: cannot read it: {source}")]
    DataFile {
        file: String,
        source: std::io::Error,
    },
    #[error("-F `{0}`: write a field as `name=value` or `name=@file`")]
    FormField(String),
    #[error("{flag} {seconds}: give a number of seconds, 0 or more")]
    Duration { flag: &'static str, seconds: f64 },
    #[error("{flag} @-: cannot read stdin: {source}")]
    Stdin {
        flag: &'static str,
        source: std::io::Error,
    },
    #[error("-b `{0}`: cookie files are not read; give the cookies as `NAME=VALUE; NAME2=VALUE2`")]
    CookieFile(String),
    #[error(
        "-c: Courier keeps each collection's cookies in its own jar (`courier cookies \
         COLLECTION` lists them); an ad-hoc request keeps them for its run only"
    )]
    CookieJar,
}

/// Applies the command line's flags to `request`.
pub fn apply(args: &SendArgs, request: &mut PreparedRequest) -> Result<(), UsageError> {
    apply_shape(&args.shape, &args.data, request)?;
    super::curl::apply(args, request)
}

/// Applies what shapes the request (`send`'s and `load`'s flags) with `-d`'s parts.
pub fn apply_shape(
    shape: &RequestShape,
    data: &[String],
    request: &mut PreparedRequest,
) -> Result<(), UsageError> {
    headers_and_user(shape, request)?;
    body(shape, data, request)?;
    if let Some(agent) = &shape.user_agent {
        set_header(request, "User-Agent", agent);
    }
    if let Some(cookie) = &shape.cookie {
        if !cookie.contains('=') {
            return Err(UsageError::CookieFile(cookie.clone()));
        }
        set_header(request, "Cookie", cookie);
    }
    transport(shape, request)
}

/// `-H` and `-u` (with `--digest`).
fn headers_and_user(shape: &RequestShape, request: &mut PreparedRequest) -> Result<(), UsageError> {
    for header in &shape.headers {
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| UsageError::Header(header.clone()))?;
        let value = render_flag_value(value.trim(), &mut request.secrets).map_err(|source| {
            UsageError::HeaderTemplate {
                header: name.trim().to_owned(),
                source,
            }
        })?;
        set_header(request, name.trim(), &value);
    }
    if let (Some(provider), Some(user)) = (&shape.aws_sigv4, &shape.user) {
        request.sigv4 = Some(aws_credentials(provider, user, &request.url)?);
        return Ok(());
    }
    match (&shape.user, shape.digest) {
        (Some(user), true) => {
            let (name, password) = user.split_once(':').unwrap_or((user, ""));
            request.digest = Some((name.to_owned(), password.to_owned()));
        }
        (Some(user), false) => {
            let token = base64::engine::general_purpose::STANDARD.encode(user);
            set_header(request, "Authorization", &format!("Basic {token}"));
        }
        (None, _) => {}
    }
    Ok(())
}

/// `--aws-sigv4 aws:amz[:REGION[:SERVICE]]` with `-u ACCESS:SECRET`, as curl reads them; a
/// region or service left out comes from a `SERVICE.REGION.amazonaws.com` host.
fn aws_credentials(
    provider: &str,
    user: &str,
    url: &str,
) -> Result<crate::http::sigv4::Credentials, UsageError> {
    let mut parts = provider.split(':');
    let (first, second) = (parts.next(), parts.next());
    if first != Some("aws") || !matches!(second, Some("amz") | None) {
        return Err(UsageError::AwsProvider(provider.to_owned()));
    }
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let mut labels = host.split('.');
    let (host_service, host_region) = (labels.next(), labels.next());
    let region = parts.next().or(host_region).filter(|r| !r.is_empty());
    let service = parts.next().or(host_service).filter(|s| !s.is_empty());
    let (Some(region), Some(service)) = (region, service) else {
        return Err(UsageError::AwsProvider(provider.to_owned()));
    };
    let (access_key, secret_key) = user.split_once(':').unwrap_or((user, ""));
    Ok(crate::http::sigv4::Credentials {
        access_key: access_key.to_owned(),
        secret_key: secret_key.to_owned(),
        session_token: None,
        region: region.to_owned(),
        service: service.to_owned(),
        unsigned_payload: false,
    })
}

/// A flag's value with its templates rendered: the built-ins (`{{$env.NAME}}`, `{{$uuid}}`)
/// and the functions (`{{now "unix"}}`, `{{hmac …}}`); a relative `file` starts in the
/// working directory, and `command` runs (the user typed it). Secrets it used are added to
/// `secrets`, to be masked wherever the request is shown.
fn render_flag_value(
    text: &str,
    secrets: &mut Vec<String>,
) -> Result<String, crate::template::TemplateError> {
    if !text.contains("{{") {
        return Ok(text.to_owned());
    }
    let env = |name: &str| std::env::var(name).ok();
    let random = crate::http::random_u64;
    let effects = crate::http::effects::RequestEffects {
        directory: std::env::current_dir().unwrap_or_default(),
        confined_to: None,
        commands_allowed: true,
        answers: &[],
        ask: Some(&super::prompt::ON_TERMINAL),
    };
    let scope = crate::template::Scope {
        env: Some(&env),
        now: Some(std::time::SystemTime::now()),
        random: Some(&random),
        effects: Some(&effects),
        ..Default::default()
    };
    let value = scope.render(text)?;
    secrets.extend(scope.secrets_used.take());
    Ok(value)
}

/// `-d`, `--data-binary`, `-F` and `-X` (POST when a body is given to a GET).
fn body(
    shape: &RequestShape,
    data: &[String],
    request: &mut PreparedRequest,
) -> Result<(), UsageError> {
    let has_body_flag = !data.is_empty() || shape.data_binary.is_some() || !shape.form.is_empty();
    if !data.is_empty() {
        let parts: Result<Vec<String>, UsageError> = data.iter().map(|d| data_text(d)).collect();
        request.body = PreparedBody::Bytes(parts?.join("&").into());
        default_header(request, "Content-Type", "application/x-www-form-urlencoded");
    }
    if let Some(data) = &shape.data_binary {
        request.body = match data.strip_prefix('@') {
            Some("-") => PreparedBody::Bytes(super::curl::data(data, "--data-binary")?.into()),
            Some(file) => PreparedBody::File(PathBuf::from(file)),
            None => PreparedBody::Bytes(data.clone().into_bytes().into()),
        };
        default_header(request, "Content-Type", "application/x-www-form-urlencoded");
    }
    if !shape.form.is_empty() {
        let parts: Result<Vec<PreparedPart>, UsageError> =
            shape.form.iter().map(|f| form_part(f)).collect();
        request.body = PreparedBody::Multipart(parts?);
        // reqwest writes the multipart Content-Type with its boundary; a saved one would clash.
        request
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
    }
    match &shape.method {
        Some(method) => request.method = method.clone(),
        None if has_body_flag && request.method == "GET" => request.method = "POST".to_owned(),
        None => {}
    }
    Ok(())
}

/// HTTP version, timeouts, TLS, proxy, redirects and decompression.
fn transport(shape: &RequestShape, request: &mut PreparedRequest) -> Result<(), UsageError> {
    let transport = &mut request.transport;
    if shape.http1 {
        transport.http = HttpVersion::Http1;
    }
    if shape.http2 {
        transport.http = HttpVersion::Http2;
    }
    if let Some(seconds) = shape.connect_timeout {
        transport.connect_timeout = Some(duration("--connect-timeout", seconds)?);
    }
    if let Some(seconds) = shape.read_timeout {
        transport.read_timeout = Some(duration("--read-timeout", seconds)?);
    }
    if let Some(seconds) = shape.total_timeout {
        request.total_timeout = Some(duration("--timeout", seconds)?);
    }
    let transport = &mut request.transport;
    if let Some(file) = &shape.cacert {
        transport.ca_file = Some(file.clone());
    }
    if let (Some(cert), Some(key)) = (&shape.cert, &shape.key) {
        transport.client_cert = Some(cert.clone());
        transport.client_key = Some(key.clone());
    }
    if shape.insecure {
        transport.verify_tls = false;
    }
    if let Some(proxy) = &shape.proxy {
        transport.proxy = Proxy::parse(Some(proxy));
    }
    if shape.no_follow {
        transport.follow_redirects = false;
    }
    if shape.raw {
        request.decompress = false;
    }
    Ok(())
}

pub(super) fn set_header(request: &mut PreparedRequest, name: &str, value: &str) {
    request
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    request.headers.push((name.to_owned(), value.to_owned()));
}

pub(super) fn default_header(request: &mut PreparedRequest, name: &str, value: &str) {
    if !request
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        request.headers.push((name.to_owned(), value.to_owned()));
    }
}

/// `-d DATA` or `-d @FILE` (as curl: a file's carriage returns and newlines are removed).
fn data_text(data: &str) -> Result<String, UsageError> {
    match data.strip_prefix('@') {
        None => Ok(data.to_owned()),
        Some("-") => {
            let bytes = super::curl::data(data, "-d")?;
            Ok(String::from_utf8_lossy(&bytes).replace(['\r', '\n'], ""))
        }
        Some(file) => std::fs::read_to_string(file)
            .map(|text| text.replace(['\r', '\n'], ""))
            .map_err(|source| UsageError::DataFile {
                file: file.to_owned(),
                source,
            }),
    }
}

/// `-F name=value`, `-F name=@FILE`, either with `;type=CONTENT/TYPE`.
fn form_part(field: &str) -> Result<PreparedPart, UsageError> {
    let (name, rest) = field
        .split_once('=')
        .ok_or_else(|| UsageError::FormField(field.to_owned()))?;
    let (value, content_type) = match rest.rsplit_once(";type=") {
        Some((value, content_type)) => (value, Some(content_type.to_owned())),
        None => (rest, None),
    };
    let content = match value.strip_prefix('@') {
        Some(file) => PartContent::File(PathBuf::from(file)),
        None => PartContent::Text(value.to_owned()),
    };
    Ok(PreparedPart {
        name: name.to_owned(),
        content,
        content_type,
    })
}

fn duration(flag: &'static str, seconds: f64) -> Result<Duration, UsageError> {
    Duration::try_from_secs_f64(seconds).map_err(|_| UsageError::Duration { flag, seconds })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_parse_like_curl() {
        let part = form_part("upload=@/tmp/a.png;type=image/png").unwrap();
        assert_eq!(part.name, "upload");
        assert!(
            matches!(part.content, PartContent::File(ref p) if p == &PathBuf::from("/tmp/a.png"))
        );
        assert_eq!(part.content_type.as_deref(), Some("image/png"));
        assert!(matches!(form_part("a=b").unwrap().content, PartContent::Text(ref t) if t == "b"));
        assert!(form_part("novalue").is_err());
    }

    #[test]
    fn a_host_without_a_scheme_is_a_url_and_a_request_name_is_not() {
        for url in [
            "http://x/",
            "localhost:8808/echo",
            "localhost/echo",
            "127.0.0.1:8808/echo",
            "[::1]:8808/",
            "api.test:8080/users",
        ] {
            assert!(is_url(url), "{url}");
        }
        for name in ["users/get", "Create user", "chaining/log-in", "demo"] {
            assert!(!is_url(name), "{name}");
        }
    }

    #[test]
    fn durations_must_be_sensible() {
        assert_eq!(
            duration("--timeout", 1.5).unwrap(),
            Duration::from_millis(1500)
        );
        assert!(duration("--timeout", -1.0).is_err());
        assert!(duration("--timeout", f64::NAN).is_err());
    }
}
