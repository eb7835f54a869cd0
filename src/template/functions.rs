//! What each template function does, given its arguments' values. The pure ones (encodings,
//! digests, HMAC, JWT, the time) are computed here with the clock the scope was handed; the
//! ones that touch the world (`file`, `prompt`, `command`) go through the scope's
//! [`Effects`](super::Effects), so rendering stays free of I/O.
//!
//! An encoding of a secret (`base64`, `base64url`, `urlencode`, a `jwt` signed with one) is a
//! secret too: it is noted, so it is masked where the request is shown. A digest or an HMAC
//! is not: it does not give its input back.

use std::time::Duration;

use super::call::{Argument, Call};
use super::crypto::{self, Encoding};
use super::{Scope, TemplateError};

/// Every function, with its arguments' names (a trailing `?` marks an optional one, `…` any
/// number more), for errors and the README.
pub const FUNCTIONS: &[(&str, &[&str])] = &[
    ("hmac", &["algorithm", "key", "data", "encoding?"]),
    ("sha1", &["data", "encoding?"]),
    ("sha256", &["data", "encoding?"]),
    ("sha512", &["data", "encoding?"]),
    ("md5", &["data", "encoding?"]),
    ("base64", &["data"]),
    ("base64url", &["data"]),
    ("urlencode", &["data"]),
    ("jwt", &["algorithm", "key", "claims", "lifetime?"]),
    ("now", &["format", "offset?"]),
    ("file", &["path"]),
    ("prompt", &["label", "secret?"]),
    ("command", &["program", "argument…"]),
];

fn function_error(
    function: &str,
    argument: &'static str,
    reason: impl Into<String>,
) -> TemplateError {
    TemplateError::Function {
        function: function.to_owned(),
        argument: argument.trim_end_matches(['?', '…']),
        reason: reason.into(),
    }
}

impl Scope<'_> {
    /// The value of a call: its arguments evaluated in order, then the function.
    pub(super) fn call(
        &self,
        call: &Call,
        stack: &mut Vec<String>,
    ) -> Result<String, TemplateError> {
        let name = call.function.as_str();
        let Some((_, parameters)) = FUNCTIONS.iter().find(|(known, _)| *known == name) else {
            let known: Vec<&str> = FUNCTIONS.iter().map(|(known, _)| *known).collect();
            return Err(TemplateError::UnknownFunction {
                name: name.to_owned(),
                known: known.join(", "),
            });
        };
        let required = parameters
            .iter()
            .filter(|p| !p.ends_with(['?', '…']))
            .count();
        let variadic = parameters.iter().any(|p| p.ends_with('…'));
        let given = call.arguments.len();
        if given < required || (!variadic && given > parameters.len()) {
            return Err(TemplateError::Arity {
                function: name.to_owned(),
                given,
                expected: parameters.join(" "),
            });
        }
        let mut values = Vec::with_capacity(given);
        for argument in &call.arguments {
            values.push(match argument {
                Argument::Text(text) => self.render_nested(text, stack)?,
                Argument::Variable(variable) => self.value(variable, stack)?,
                Argument::Call(inner) => self.call(inner, stack)?,
            });
        }
        let secret_input = values.iter().any(|value| self.holds_secret(value));
        let value = self.apply(name, &values)?;
        let reveals_input = matches!(name, "base64" | "base64url" | "urlencode" | "jwt");
        let secret_prompt = name == "prompt" && values.get(1).is_some_and(|v| v == "secret");
        if (reveals_input && secret_input) || secret_prompt || name == "command" {
            self.note_secret(&value);
        }
        Ok(value)
    }

    fn holds_secret(&self, value: &str) -> bool {
        self.secrets_used
            .borrow()
            .iter()
            .any(|secret| value.contains(secret.as_str()))
    }

    fn apply(&self, name: &str, values: &[String]) -> Result<String, TemplateError> {
        let arg = |index: usize| values.get(index).map(String::as_str);
        let encoding = |index: usize| match arg(index) {
            None => Ok(Encoding::Hex),
            Some(given) => Encoding::parse(given).ok_or_else(|| {
                function_error(
                    name,
                    "encoding",
                    format!("`{given}` is not {}", Encoding::NAMES),
                )
            }),
        };
        match name {
            "hmac" => {
                let mac = crypto::hmac(&values[0], values[1].as_bytes(), values[2].as_bytes())
                    .ok_or_else(|| unknown_digest(name, &values[0]))?;
                Ok(encoding(3)?.encode(&mac))
            }
            "sha1" | "sha256" | "sha512" | "md5" => {
                let digest = crypto::digest(name, values[0].as_bytes())
                    .ok_or_else(|| unknown_digest(name, name))?;
                Ok(encoding(1)?.encode(&digest))
            }
            "base64" => Ok(Encoding::Base64.encode(values[0].as_bytes())),
            "base64url" => Ok(Encoding::Base64Url.encode(values[0].as_bytes())),
            "urlencode" => Ok(urlencode(&values[0])),
            "jwt" => self.jwt(values),
            "now" => self.now(&values[0], arg(1)),
            "file" | "prompt" | "command" => self.effect(name, values),
            _ => unreachable!("every name in FUNCTIONS has an arm"),
        }
    }

    fn jwt(&self, values: &[String]) -> Result<String, TemplateError> {
        let lifetime = values
            .get(3)
            .map(|text| {
                humantime::parse_duration(text).map_err(|err| {
                    function_error(
                        "jwt",
                        "lifetime",
                        format!("`{text}` is not a duration ({err})"),
                    )
                })
            })
            .transpose()?;
        crypto::jwt(&crypto::JwtClaims {
            algorithm: &values[0],
            key: &values[1],
            claims: &values[2],
            lifetime,
            now: self.now.ok_or_else(|| no_clock("jwt"))?,
        })
        .map_err(|err| function_error("jwt", err.argument, err.reason))
    }

    fn now(&self, format: &str, offset: Option<&str>) -> Result<String, TemplateError> {
        let mut time = self.now.ok_or_else(|| no_clock("now"))?;
        if let Some(offset) = offset {
            let (later, amount) = match offset.trim().strip_prefix('-') {
                Some(amount) => (false, amount),
                None => (true, offset.trim().trim_start_matches('+')),
            };
            let amount = humantime::parse_duration(amount.trim()).map_err(|err| {
                function_error(
                    "now",
                    "offset",
                    format!("`{offset}` is not like +1h or -30m ({err})"),
                )
            })?;
            time = if later {
                time + amount
            } else {
                time.checked_sub(amount).unwrap_or(std::time::UNIX_EPOCH)
            };
        }
        let since = time
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        let strftime = match format {
            "unix" => return Ok(since.as_secs().to_string()),
            "unix_ms" => return Ok(since.as_millis().to_string()),
            "iso" => return Ok(super::iso_timestamp(time)),
            "http" => "%a, %d %b %Y %H:%M:%S GMT",
            pattern if pattern.contains('%') => pattern,
            other => {
                return Err(function_error(
                    "now",
                    "format",
                    format!(
                        "`{other}` is not unix, unix_ms, iso, http or a strftime pattern (%Y-%m-%d)"
                    ),
                ));
            }
        };
        let timestamp = jiff::Timestamp::try_from(time)
            .map_err(|err| function_error("now", "offset", err.to_string()))?;
        let utc = timestamp.to_zoned(jiff::tz::TimeZone::UTC);
        jiff::fmt::strtime::format(strftime, &utc)
            .map_err(|err| function_error("now", "format", format!("`{format}`: {err}")))
    }

    fn effect(&self, name: &str, values: &[String]) -> Result<String, TemplateError> {
        let effects = self.effects.ok_or_else(|| {
            function_error(
                name,
                "",
                "cannot be used here (only in a request being sent)",
            )
        })?;
        match name {
            "file" => effects
                .read_file(&values[0])
                .map_err(|reason| function_error(name, "path", reason)),
            "prompt" => {
                let secret = match values.get(1).map(String::as_str) {
                    None => false,
                    Some("secret") => true,
                    Some(other) => {
                        return Err(function_error(
                            name,
                            "secret",
                            format!("`{other}`: write \"secret\" to mask the answer, or nothing"),
                        ));
                    }
                };
                effects.ask(&values[0], secret)
            }
            _ => effects
                .run_command(&values[0], &values[1..])
                .map_err(|reason| function_error(name, "", reason)),
        }
    }
}

fn unknown_digest(function: &str, given: &str) -> TemplateError {
    function_error(
        function,
        "algorithm",
        format!("`{given}` is not {}", crypto::DIGESTS),
    )
}

fn no_clock(function: &str) -> TemplateError {
    function_error(function, "", "has no clock here")
}

/// Percent-encoding of everything but RFC 3986's unreserved characters.
fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
