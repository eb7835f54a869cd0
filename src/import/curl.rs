//! curl command lines as requests: a file of them (or one pasted into the URL field). Lines
//! joined at a trailing `\`, a quoted value may span lines, `#` comments between commands are
//! skipped, and each command is split as a POSIX shell would (without expanding anything).
//! The flags a request is made of come across (method, URL, headers, data of every kind,
//! forms, user, `--json`, `-G`, redirects, TLS, timeouts); `$NAME` and `${NAME}` become the
//! templates `{{NAME}}`; a flag that means nothing for a saved request (output, verbosity) is
//! ignored, and one Courier has no place for is reported with its line.

use super::curl_shell::Shell;
use super::tree::{ImportedCollection, ImportedFolder, ImportedItem, ImportedRequest, Losses};
use crate::model::{
    Auth, Body, CollectionMeta, DurationText, KeyValue, Method, MultipartPart, Request,
};

/// Every command in `text` as one collection named `name`. A script Courier exported names
/// its collection on its first lines and each request (after its folders: `pet / Find pet`)
/// in the comment above it; those come back as they were.
pub fn collection(text: &str, name: &str, losses: &mut Losses) -> ImportedCollection {
    let exported = courier_export_name(text);
    let mut items = Vec::new();
    for command in commands(text, losses) {
        let place = format!("line {}", command.line);
        let Some((mut request, body_text)) = request(&command.words, &place, losses) else {
            losses.add(&place, "a curl command without a URL: skipped");
            continue;
        };
        let title = command
            .title
            .filter(|_| exported.is_some())
            .unwrap_or_default();
        let mut path: Vec<&str> = title.split(" / ").filter(|part| !part.is_empty()).collect();
        if let Some(own) = path.pop() {
            request.name = own.to_owned();
        }
        let item = ImportedItem::Request(Box::new(ImportedRequest {
            request,
            body_text,
            examples: Vec::new(),
            scripts: Vec::new(),
        }));
        put(&mut items, &path, item);
    }
    ImportedCollection {
        meta: CollectionMeta::named(exported.as_deref().unwrap_or(name)),
        items,
        environments: Vec::new(),
        secrets: Vec::new(),
        scripts: Vec::new(),
        files: Vec::new(),
    }
}

/// The collection's name when `text` is a script Courier's curl export wrote.
fn courier_export_name(text: &str) -> Option<String> {
    let header = text
        .lines()
        .take(3)
        .find(|line| line.contains("exported by Courier as curl"))?;
    let (_, after) = header.split_once('“')?;
    let (name, _) = after.split_once('”')?;
    Some(name.to_owned())
}

/// Puts `item` into the folder at `path` under `items`, made when missing.
fn put(items: &mut Vec<ImportedItem>, path: &[&str], item: ImportedItem) {
    let Some((first, rest)) = path.split_first() else {
        items.push(item);
        return;
    };
    let existing = items.iter_mut().find_map(|known| match known {
        ImportedItem::Folder(folder) if folder.name == *first => Some(folder),
        _ => None,
    });
    if let Some(folder) = existing {
        put(&mut folder.items, rest, item);
        return;
    }
    let mut folder = ImportedFolder {
        name: (*first).to_owned(),
        ..ImportedFolder::default()
    };
    put(&mut folder.items, rest, item);
    items.push(ImportedItem::Folder(Box::new(folder)));
}

/// Whether `text` is one curl command (what the URL field takes a paste of).
pub fn is_command(text: &str) -> bool {
    let trimmed = text.trim_start();
    trimmed.starts_with("curl ") || trimmed.starts_with("curl\t")
}

/// The request of one pasted curl command, and its body's text; None when it has no URL.
pub fn parse_command(text: &str, losses: &mut Losses) -> Option<(Request, Option<String>)> {
    let command = commands(text, losses).into_iter().next()?;
    request(&command.words, "the pasted command", losses)
}

/// Each command's first line and its words.
fn commands(text: &str, losses: &mut Losses) -> Vec<Command> {
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    // The comment line right above a command (no blank line between) names it.
    let mut comment: Option<String> = None;
    let mut title: Option<String> = None;
    // Whether a quote is open where the text so far ends: kept line by line, so a long
    // command is split once, when it ends, not again at every line.
    let mut quote = Quote::None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let (start, mut joined) = match pending.take() {
            Some((start, so_far)) => (start, so_far + "\n"),
            None => {
                let trimmed = line.trim();
                if trimmed.is_empty() {
                    comment = None;
                    continue;
                }
                if let Some(text) = trimmed.strip_prefix('#') {
                    comment = (!text.starts_with('!')).then(|| text.trim().to_owned());
                    continue;
                }
                title = comment.take();
                (number, String::new())
            }
        };
        let continued = line.trim_end().ends_with('\\');
        let added = if continued {
            line.trim_end().trim_end_matches('\\')
        } else {
            line
        };
        quote = quote.after(added);
        joined.push_str(added);
        if continued || quote != Quote::None {
            // An open quote or a trailing `\`: the command goes on.
            pending = Some((start, joined));
            continue;
        }
        match shell_words::split(&joined) {
            Ok(words) => out.push(Command {
                line: start,
                words,
                title: title.take(),
            }),
            Err(_) => losses.add(
                &format!("line {start}"),
                "the command does not split as a shell would: skipped",
            ),
        }
    }
    if let Some((start, _)) = pending {
        losses.add(
            &format!("line {start}"),
            "a quote is never closed: the command is skipped",
        );
    }
    out
}

/// One command: the line it starts on, its words, and the comment right above it.
struct Command {
    line: usize,
    words: Vec<String>,
    title: Option<String>,
}

/// The quote open at the end of some shell text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

impl Quote {
    /// The quote open after `text`, which follows text that ended with `self` open.
    fn after(self, text: &str) -> Quote {
        let mut quote = self;
        let mut escaped = false;
        for c in text.chars() {
            quote = match (quote, c) {
                (Quote::Single, '\'') => Quote::None,
                (Quote::Single, _) => Quote::Single,
                (_, _) if escaped => {
                    escaped = false;
                    quote
                }
                (_, '\\') => {
                    escaped = true;
                    quote
                }
                (Quote::None, '\'') => Quote::Single,
                (Quote::None, '"') => Quote::Double,
                (Quote::Double, '"') => Quote::None,
                (quote, _) => quote,
            };
        }
        quote
    }
}

/// What the flags of one command say.
#[derive(Default)]
struct Flags {
    method: Option<String>,
    url: Option<String>,
    headers: Vec<KeyValue>,
    data: Vec<String>,
    /// `--data-urlencode` pairs, as given.
    encoded: Vec<String>,
    form: Vec<String>,
    json: Option<String>,
    user: Option<String>,
    get: bool,
    /// `-d @file`: the body is that file's.
    data_file: Option<String>,
}

fn request(
    words: &[String],
    place: &str,
    losses: &mut Losses,
) -> Option<(Request, Option<String>)> {
    // Shell variables become templates; the quoting that would have kept a `$` literal is
    // gone once split, so each change is reported to be checked.
    let mut shell = Shell::default();
    let mut changed: Vec<&str> = Vec::new();
    let mut templated_words = Vec::new();
    for word in words {
        let guessed_before = shell.guessed;
        templated_words.push(shell.templated(word));
        if shell.guessed > guessed_before {
            changed.push(word);
        }
    }
    if !changed.is_empty() {
        losses.add(
            place,
            format!(
                "`$NAME` became `{{{{NAME}}}}` in {}: check none was meant literally",
                changed.join(", ")
            ),
        );
    }
    let mut words = templated_words.into_iter();
    if words.next().as_deref() != Some("curl") {
        return None;
    }
    let mut flags = Flags::default();
    let mut request = Request::new("", Method::get(), "");
    while let Some(word) = words.next() {
        let (flag, inline) = match word.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (word.clone(), None),
        };
        if !flag.starts_with('-') || flag == "-" {
            flags.url.get_or_insert(word);
            continue;
        }
        // `-sSL`: short flags without values, bundled.
        if let Some(bundle) = bundled(&flag) {
            for single in bundle {
                flag_of(
                    &single,
                    &mut || None,
                    &mut flags,
                    &mut request,
                    place,
                    losses,
                );
            }
            continue;
        }
        let mut value = || inline.clone().or_else(|| words.next());
        flag_of(&flag, &mut value, &mut flags, &mut request, place, losses);
    }
    let url = flags.url.clone()?;
    let (mut request, body_text) = finish(&flags, request, url, place, losses);
    for (name, value) in shell.defaults {
        request.variables.entry(name).or_insert(value);
    }
    Some((request, body_text))
}

/// The flags of a bundle of short ones that take no value (`-sSLk`), one by one.
fn bundled(word: &str) -> Option<Vec<String>> {
    let letters = word
        .strip_prefix('-')
        .filter(|rest| !rest.starts_with('-'))?;
    (letters.len() > 1 && letters.chars().all(|c| "sSLkvifGI".contains(c)))
        .then(|| letters.chars().map(|c| format!("-{c}")).collect())
}

/// Takes one flag (and its value, from `value`).
fn flag_of(
    flag: &str,
    value: &mut dyn FnMut() -> Option<String>,
    flags: &mut Flags,
    request: &mut Request,
    place: &str,
    losses: &mut Losses,
) {
    let options = &mut request.options;
    match flag {
        "-X" | "--request" => flags.method = value(),
        "--url" => flags.url = value(),
        "-H" | "--header" => {
            if let Some((name, text)) = value().as_deref().and_then(|h| h.split_once(':')) {
                flags.headers.push(KeyValue::new(name.trim(), text.trim()));
            }
        }
        "--data-raw" => flags.data.extend(value()),
        // `@file` reads the body from a file (curl's `--data-raw` takes `@` as text).
        "-d" | "--data" | "--data-binary" | "--data-ascii" => match value() {
            Some(data) if data.starts_with('@') && data.len() > 1 => {
                flags.data_file = Some(data[1..].to_owned());
            }
            data => flags.data.extend(data),
        },
        "--data-urlencode" => flags.encoded.extend(value()),
        "-F" | "--form" | "--form-string" => flags.form.extend(value()),
        "--json" => flags.json = value(),
        "-u" | "--user" => flags.user = value(),
        "-G" | "--get" => flags.get = true,
        "-I" | "--head" => flags.method = Some("HEAD".to_owned()),
        "-A" | "--user-agent" => {
            flags
                .headers
                .extend(value().map(|v| KeyValue::new("User-Agent", v)));
        }
        "-e" | "--referer" => flags
            .headers
            .extend(value().map(|v| KeyValue::new("Referer", v))),
        "-b" | "--cookie" => flags
            .headers
            .extend(value().map(|v| KeyValue::new("Cookie", v))),
        "--oauth2-bearer" => {
            request.auth = Auth::Bearer {
                token: value().unwrap_or_default(),
            }
        }
        "-L" | "--location" => options.redirects.follow = Some(true),
        "--max-redirs" => options.redirects.max = value().and_then(|v| v.parse().ok()),
        "-k" | "--insecure" => options.tls.verify = Some(false),
        "--connect-timeout" => options.timeouts.connect = value().and_then(seconds),
        "-m" | "--max-time" => options.timeouts.total = value().and_then(seconds),
        "--cacert" => options.tls.ca_file = value(),
        "-s" | "--silent" | "-S" | "--show-error" | "-v" | "--verbose" | "-i" | "--include"
        | "--compressed" | "-f" | "--fail" | "--http1.1" | "--http2" => {}
        "-o" | "--output" | "-w" | "--write-out" => {
            let _ = value();
        }
        other => losses.add(
            place,
            format!("curl's `{other}` has no place in a saved request: dropped"),
        ),
    }
}

/// The request the flags make.
fn finish(
    flags: &Flags,
    mut request: Request,
    url: String,
    place: &str,
    losses: &mut Losses,
) -> (Request, Option<String>) {
    request.headers = flags.headers.clone();
    let has_data = !flags.data.is_empty() || !flags.encoded.is_empty() || flags.data_file.is_some();
    let (url, body_text) = if flags.get && has_data {
        let mut pairs = flags.data.clone();
        pairs.extend(flags.encoded.iter().cloned());
        let separator = if url.contains('?') { '&' } else { '?' };
        (format!("{url}{separator}{}", pairs.join("&")), None)
    } else {
        (url, body(flags, &mut request))
    };
    request.url = url;
    if let Some(user) = &flags.user {
        let (username, password) = user.split_once(':').unwrap_or((user, ""));
        request.auth = Auth::Basic {
            username: username.to_owned(),
            password: password.to_owned(),
        };
    }
    let default = if flags.get || !(has_data || !flags.form.is_empty() || flags.json.is_some()) {
        "GET"
    } else {
        "POST"
    };
    let method = flags.method.clone().unwrap_or_else(|| default.to_owned());
    request.method = Method::try_from(method.to_ascii_uppercase()).unwrap_or_else(|_| {
        losses.add(place, format!("`{method}` is no HTTP method: GET instead"));
        Method::get()
    });
    request.name = super::name_from_url(&request.url);
    (request, body_text)
}

/// The body of `-d`, `--data-urlencode`, `-F` or `--json`; its text when it has a sidecar.
fn body(flags: &Flags, request: &mut Request) -> Option<String> {
    if let Some(json) = &flags.json {
        request.body = Body::Json {
            file: String::new(),
        };
        return Some(json.clone());
    }
    if let Some(file) = &flags.data_file {
        let content_type = request
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .map(|h| h.value.clone());
        request.body = Body::Binary {
            file: file.clone(),
            content_type,
        };
        return None;
    }
    if !flags.form.is_empty() {
        let parts = flags.form.iter().filter_map(|field| part(field)).collect();
        request.body = Body::Multipart { parts };
        return None;
    }
    if flags.data.is_empty() && flags.encoded.is_empty() {
        return None;
    }
    let text = flags.data.join("&");
    let declared = request
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        .map(|h| h.value.to_ascii_lowercase());
    let is_json = declared.as_deref().is_some_and(|t| t.contains("json"))
        || (declared.is_none() && serde_json::from_str::<serde_json::Value>(&text).is_ok());
    if is_json {
        request.body = Body::Json {
            file: String::new(),
        };
        return Some(text);
    }
    let form_like = declared
        .as_deref()
        .is_none_or(|t| t.contains("x-www-form-urlencoded"));
    if form_like {
        let mut fields: Vec<KeyValue> = text
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                KeyValue::new(decoded(name), decoded(value))
            })
            .collect();
        fields.extend(flags.encoded.iter().map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or(("", pair));
            KeyValue::new(name, value)
        }));
        request.body = Body::Form { fields };
        return None;
    }
    request.body = Body::Text {
        file: String::new(),
        content_type: declared,
    };
    Some(text)
}

/// `-F name=value`, `-F name=@file` (with `;type=…`).
fn part(field: &str) -> Option<MultipartPart> {
    let (name, rest) = field.split_once('=')?;
    let (value, content_type) = match rest.split_once(";type=") {
        Some((value, kind)) => (value, Some(kind.to_owned())),
        None => (rest, None),
    };
    let (value, file) = match value.strip_prefix('@') {
        Some(file) => (None, Some(file.to_owned())),
        None => (Some(value.to_owned()), None),
    };
    Some(MultipartPart {
        name: name.to_owned(),
        value,
        file,
        content_type,
        enabled: true,
    })
}

fn decoded(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map_or_else(|| text.to_owned(), |(_, value)| value.into_owned())
}

/// curl's seconds as a duration; a fraction of a second is kept in milliseconds.
fn seconds(text: String) -> Option<DurationText> {
    let millis = (text.parse::<f64>().ok()? * 1000.0).round();
    DurationText::try_from(format!("{millis}ms")).ok()
}

#[cfg(test)]
#[path = "curl_tests.rs"]
mod tests;
