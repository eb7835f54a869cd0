//! XML and HTML indentation as a streaming state machine, for the Pretty view: bytes go in
//! chunk by chunk, indented text comes out. Every tag starts a line, indented by its depth; an
//! element holding only a short text stays on one line (`<name>Ada</name>`); comments, CDATA,
//! `<?…?>` and `<!DOCTYPE>` are kept whole; in HTML, void elements (`<br>`, `<img>`…) open
//! nothing, and the insides of `<script>` and `<style>` are passed through untouched. Text is
//! never changed except for the whitespace around it, which is what indentation replaces.

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// Inside `<…>`; `quote` is the attribute quote we are in, if any.
    Tag {
        quote: Option<char>,
    },
    /// Inside `<!--…-->`, `<![CDATA[…]]>`: ends with `end`.
    Raw {
        end: &'static str,
    },
    /// Inside `<script>` or `<style>` (HTML): ends with the closing tag.
    RawText,
}

/// An indenter fed chunk by chunk.
#[derive(Debug, Clone)]
pub struct XmlFormatter {
    html: bool,
    depth: usize,
    state: State,
    /// The tag, comment or text being read.
    token: String,
    /// An opening tag printed but not yet followed by a line break: if text and then its
    /// closing tag come next, they stay on the same line.
    open_inline: bool,
    /// The text after an opening tag, held until we know whether it stays inline.
    held_text: Option<String>,
    /// The name of the raw-text element (script, style) we are inside.
    raw_element: String,
    /// An unfinished UTF-8 character at a chunk's end.
    pending: Vec<u8>,
    started: bool,
}

impl XmlFormatter {
    pub fn new(html: bool) -> XmlFormatter {
        XmlFormatter {
            html,
            depth: 0,
            state: State::Text,
            token: String::new(),
            open_inline: false,
            held_text: None,
            raw_element: String::new(),
            pending: Vec::new(),
            started: false,
        }
    }

    /// Formats `chunk` and returns the text it completes.
    pub fn feed(&mut self, chunk: &[u8]) -> String {
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(chunk);
        let valid = match std::str::from_utf8(&data) {
            Ok(_) => data.len(),
            Err(error) if error.error_len().is_none() => error.valid_up_to(),
            Err(error) => error.valid_up_to() + error.error_len().unwrap_or(1),
        };
        self.pending = data.split_off(valid);
        let text = String::from_utf8_lossy(&data).into_owned();
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        for c in text.chars() {
            self.step(c, &mut out);
        }
        out
    }

    /// Flushes what is left at the end of the body.
    pub fn finish(&mut self) -> String {
        let mut out = String::new();
        let rest = std::mem::take(&mut self.pending);
        if !rest.is_empty() {
            out.push_str(&self.feed(&rest));
            out.push_str(&String::from_utf8_lossy(&std::mem::take(&mut self.pending)));
        }
        let token = std::mem::take(&mut self.token);
        self.flush_held(&mut out);
        if !token.trim().is_empty() {
            self.line(&mut out, token.trim());
        }
        out
    }

    fn step(&mut self, c: char, out: &mut String) {
        match self.state {
            State::Text => {
                if c == '<' {
                    let text = std::mem::take(&mut self.token);
                    let text = text.trim();
                    if !text.is_empty() {
                        if self.open_inline && self.held_text.is_none() {
                            self.held_text = Some(text.to_owned());
                        } else {
                            self.flush_held(out);
                            self.line(out, text);
                        }
                    }
                    self.token.push(c);
                    self.state = State::Tag { quote: None };
                } else {
                    self.token.push(c);
                }
            }
            State::Tag { quote } => {
                self.token.push(c);
                match (quote, c) {
                    (Some(q), c) if c == q => self.state = State::Tag { quote: None },
                    (Some(_), _) => {}
                    (None, '"' | '\'') if !self.token.starts_with("<!") => {
                        self.state = State::Tag { quote: Some(c) }
                    }
                    (None, '>') => {
                        let tag = std::mem::take(&mut self.token);
                        self.state = State::Text;
                        self.tag(tag, out);
                    }
                    (None, _) => {
                        if self.token == "<!--" {
                            self.state = State::Raw { end: "-->" };
                        } else if self.token == "<![CDATA[" {
                            self.state = State::Raw { end: "]]>" };
                        }
                    }
                }
            }
            State::Raw { end } => {
                self.token.push(c);
                if self.token.ends_with(end) {
                    let token = std::mem::take(&mut self.token);
                    self.state = State::Text;
                    self.flush_held(out);
                    self.line(out, &token);
                }
            }
            State::RawText => {
                self.token.push(c);
                let closing = format!("</{}", self.raw_element);
                if c == '>'
                    && let Some(at) = self.token.to_ascii_lowercase().rfind(&closing)
                {
                    let token = std::mem::take(&mut self.token);
                    let (content, tag) = token.split_at(at);
                    for line in content.lines().filter(|l| !l.trim().is_empty()) {
                        self.line(out, line.trim_end());
                    }
                    self.state = State::Text;
                    self.tag(tag.to_owned(), out);
                }
            }
        }
    }

    /// A whole tag was read.
    fn tag(&mut self, tag: String, out: &mut String) {
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect::<String>()
            .to_ascii_lowercase();
        if tag.starts_with("</") {
            self.depth = self.depth.saturating_sub(1);
            if self.open_inline {
                // `<a>text</a>` (or `<a></a>`) on one line.
                let text = self.held_text.take().unwrap_or_default();
                out.push_str(&text);
                out.push_str(&tag);
                self.open_inline = false;
                return;
            }
            self.line(out, &tag);
            return;
        }
        self.flush_held(out);
        let opens = !(tag.ends_with("/>")
            || tag.starts_with("<?")
            || tag.starts_with("<!")
            || self.html && VOID.contains(&name.as_str()));
        self.line(out, &tag);
        if opens {
            self.depth += 1;
            self.open_inline = true;
            if self.html && (name == "script" || name == "style") {
                self.raw_element = name;
                self.state = State::RawText;
                self.open_inline = false;
            }
        }
    }

    /// Text held after an opening tag turned out not to be alone: it gets its own line.
    fn flush_held(&mut self, out: &mut String) {
        self.open_inline = false;
        if let Some(text) = self.held_text.take() {
            self.line(out, &text);
        }
    }

    /// Starts a new line at the current depth with `text`.
    fn line(&mut self, out: &mut String, text: &str) {
        self.open_inline = false;
        if self.started {
            out.push('\n');
        }
        self.started = true;
        for _ in 0..self.depth {
            out.push_str("  ");
        }
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(text: &str, html: bool) -> String {
        let mut formatter = XmlFormatter::new(html);
        let mut out = formatter.feed(text.as_bytes());
        out.push_str(&formatter.finish());
        out
    }

    #[test]
    fn xml_is_indented_and_short_text_stays_inline() {
        let xml = r#"<?xml version="1.0"?><users count="2"><user id="1"><name>Ada</name><tags><tag>a &amp; b</tag></tags><empty/></user><!-- two > one --><user id="2"/></users>"#;
        assert_eq!(
            format(xml, false),
            "<?xml version=\"1.0\"?>\n<users count=\"2\">\n  <user id=\"1\">\n    <name>Ada</name>\n    <tags>\n      <tag>a &amp; b</tag>\n    </tags>\n    <empty/>\n  </user>\n  <!-- two > one -->\n  <user id=\"2\"/>\n</users>"
        );
    }

    #[test]
    fn html_void_elements_and_scripts_are_understood() {
        let html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>if (a<b) { go(\"</p>\") }</script></head><body><p>Hi<br>there</p></body></html>";
        assert_eq!(
            format(html, true),
            "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n    <script>\n      if (a<b) { go(\"</p>\") }\n    </script>\n  </head>\n  <body>\n    <p>\n      Hi\n      <br>\n      there\n    </p>\n  </body>\n</html>"
        );
    }

    #[test]
    fn any_chunking_gives_the_same_output() {
        let xml = "<a x='1>2'><b>ü☃</b><![CDATA[<raw>]]></a>";
        let whole = format(xml, false);
        for size in 1..7 {
            let mut formatter = XmlFormatter::new(false);
            let mut out = String::new();
            for chunk in xml.as_bytes().chunks(size) {
                out.push_str(&formatter.feed(chunk));
            }
            out.push_str(&formatter.finish());
            assert_eq!(out, whole, "chunks of {size}");
        }
        assert_eq!(whole, "<a x='1>2'>\n  <b>ü☃</b>\n  <![CDATA[<raw>]]>\n</a>");
    }
}
