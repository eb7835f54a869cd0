//! Terminal safety: bytes from the network never reach the terminal raw.
//!
//! Control characters (C0, DEL, C1) are replaced by visible symbols in one notation, the
//! Unicode "control pictures" (`␛` for ESC, `␇` for BEL, `␀` for NUL…); a C1 control is its
//! 7-bit twin, ESC and a letter (8-bit CSI shows as `␛[`, OSC as `␛]`). Invalid UTF-8 shows as
//! `\xNN`. Newlines and tabs stay as they are, so text still reads as text.
//! A terminal cannot be made to change title, clear the screen, write the clipboard (OSC 52)
//! or switch screens by anything that went through here.

/// Bytes decoded for display, with every dangerous byte made visible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisibleText {
    pub text: String,
    /// How many bytes or characters were replaced by a visible form.
    pub replaced: usize,
}

/// Decodes `bytes` as UTF-8 (lossily, with `\xNN` for bad bytes) and makes controls visible.
pub fn make_visible(bytes: &[u8]) -> VisibleText {
    let mut text = String::with_capacity(bytes.len());
    let mut replaced = 0;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match visible_char(c) {
                Some(symbol) => {
                    text.push_str(&symbol);
                    replaced += 1;
                }
                None => text.push(c),
            }
        }
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02X}"));
            replaced += 1;
        }
    }
    VisibleText { text, replaced }
}

/// The visible stand-in for a control character, or None when `c` is safe to print.
pub fn visible_char(c: char) -> Option<String> {
    match c {
        '\n' | '\t' => None,
        // C0 controls map onto U+2400..U+241F, "SYMBOL FOR NULL" and friends.
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).map(String::from),
        '\x7f' => Some("␡".to_owned()),
        // C1 controls (CSI, OSC, DCS as single code points) have no pictures of their own;
        // each is the same as ESC and a character 0x40 lower, which is how they show.
        '\u{80}'..='\u{9f}' => char::from_u32(c as u32 - 0x40).map(|fe| format!("␛{fe}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_symbols() {
        let shown = make_visible(b"\x1b]0;title\x07\x1b[2Jok\r\n\tend");
        assert_eq!(shown.text, "␛]0;title␇␛[2Jok␍\n\tend");
        assert_eq!(shown.replaced, 4);
        assert!(!shown.text.contains('\x1b'));
    }

    #[test]
    fn invalid_utf8_and_c1_controls_are_spelled_out() {
        let shown = make_visible(b"a\xffb\xc2\x9bc");
        assert_eq!(
            shown.text, "a\\xFFb␛[c",
            "8-bit CSI in the notation of the rest"
        );
    }

    #[test]
    fn nothing_below_space_survives_except_newline_and_tab() {
        let all: Vec<u8> = (0u8..=255).collect();
        let shown = make_visible(&all).text;
        assert!(
            shown
                .chars()
                .all(|c| c == '\n' || c == '\t' || !c.is_control())
        );
    }
}
