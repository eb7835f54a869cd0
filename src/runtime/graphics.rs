//! The terminal's graphics, for pictures: which protocol draws them (kitty, iTerm2, sixel,
//! or Unicode half-blocks) and how many pixels a cell holds. Nothing is asked of the
//! terminal: an unanswered query would leave a thread reading the keyboard, taking the user's
//! first keys (as in a detached tmux). The protocol comes from what the terminal says of
//! itself in the environment, the cell size from the window's size in pixels (which the
//! terminals with graphics report); without either, pictures are drawn with half-blocks.

use ratatui_image::picker::{Picker, ProtocolType};

use crate::model::{Config, Graphics};

/// `COURIER_GRAPHICS` (`from_env`) over the config file's `graphics`, and what to say when
/// `COURIER_GRAPHICS` names nothing Courier knows.
pub fn choice(config: &Config, from_env: Option<String>) -> (Graphics, Option<String>) {
    super::env_over_config(
        config.graphics.unwrap_or_default(),
        from_env,
        Graphics::parse,
        |text, configured| {
            format!(
                "COURIER_GRAPHICS=`{text}` is none of auto, kitty, sixel, iterm2, halfblocks; \
                 using {configured:?}."
            )
        },
    )
}

/// The protocol a terminal has, from what it says of itself in the environment (`var`):
/// kitty and Ghostty speak kitty's, iTerm2 and WezTerm iTerm2's, foot, mlterm and Windows
/// Terminal sixel. Others (and Konsole, whose sixel is unreliable) get half-blocks.
pub fn detect(var: impl Fn(&str) -> Option<String>) -> ProtocolType {
    let is = |name: &str, value: &str| var(name).is_some_and(|v| v == value);
    let starts = |name: &str, value: &str| var(name).is_some_and(|v| v.starts_with(value));
    if starts("TERM", "xterm-kitty")
        || var("KITTY_WINDOW_ID").is_some()
        || starts("TERM", "xterm-ghostty")
        || is("TERM_PROGRAM", "ghostty")
    {
        ProtocolType::Kitty
    } else if is("TERM_PROGRAM", "iTerm.app")
        || is("LC_TERMINAL", "iTerm2")
        || is("TERM_PROGRAM", "WezTerm")
    {
        ProtocolType::Iterm2
    } else if starts("TERM", "foot") || starts("TERM", "mlterm") || var("WT_SESSION").is_some() {
        ProtocolType::Sixel
    } else {
        ProtocolType::Halfblocks
    }
}

/// What draws pictures: the chosen protocol (or the detected one, for `auto`), given the
/// size of a cell in pixels (`cell`); without it only half-blocks can draw.
pub fn picker(graphics: Graphics, detected: ProtocolType, cell: Option<(u16, u16)>) -> Picker {
    let protocol = match graphics {
        Graphics::Auto => detected,
        Graphics::Kitty => ProtocolType::Kitty,
        Graphics::Sixel => ProtocolType::Sixel,
        Graphics::Iterm2 => ProtocolType::Iterm2,
        Graphics::Halfblocks => ProtocolType::Halfblocks,
    };
    let picker = match cell {
        Some(cell) if protocol != ProtocolType::Halfblocks => {
            // Deprecated in favour of asking the terminal, which is what Courier must not do
            // (see above); the cell size comes from the window's size in pixels instead.
            #[allow(deprecated)]
            let mut picker = Picker::from_fontsize(cell);
            picker.set_protocol_type(protocol);
            picker
        }
        _ => Picker::halfblocks(),
    };
    tracing::info!(?graphics, requested = ?protocol, drawn = ?picker.protocol_type(), ?cell, "graphics");
    picker
}

/// The size of a cell in pixels, from the window's size (zero where the terminal does not
/// say).
pub fn cell_size() -> Option<(u16, u16)> {
    let size = crossterm::terminal::window_size().ok()?;
    (size.width > 0 && size.height > 0 && size.columns > 0 && size.rows > 0)
        .then(|| (size.width / size.columns, size.height / size.rows))
        .filter(|(w, h)| *w > 0 && *h > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn courier_graphics_wins_over_the_config_file_and_a_wrong_one_is_said() {
        let config = Config {
            graphics: Some(Graphics::Sixel),
            ..Config::default()
        };
        assert_eq!(choice(&config, None), (Graphics::Sixel, None));
        assert_eq!(
            choice(&config, Some("HalfBlocks".into())),
            (Graphics::Halfblocks, None)
        );
        let (graphics, problem) = choice(&config, Some("png".into()));
        assert_eq!(graphics, Graphics::Sixel);
        assert!(problem.unwrap().contains("COURIER_GRAPHICS=`png`"));
        assert_eq!(choice(&Config::default(), None).0, Graphics::Auto);
    }

    #[test]
    fn the_protocol_comes_from_what_the_terminal_says_of_itself() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(detect(env(&[("TERM", "xterm-kitty")])), ProtocolType::Kitty);
        assert_eq!(
            detect(env(&[("TERM", "tmux-256color"), ("KITTY_WINDOW_ID", "1")])),
            ProtocolType::Kitty
        );
        assert_eq!(
            detect(env(&[("TERM_PROGRAM", "iTerm.app")])),
            ProtocolType::Iterm2
        );
        assert_eq!(
            detect(env(&[("TERM_PROGRAM", "WezTerm")])),
            ProtocolType::Iterm2
        );
        assert_eq!(detect(env(&[("TERM", "foot")])), ProtocolType::Sixel);
        assert_eq!(
            detect(env(&[
                ("TERM", "xterm-256color"),
                ("KONSOLE_VERSION", "230804")
            ])),
            ProtocolType::Halfblocks
        );
        assert_eq!(detect(env(&[])), ProtocolType::Halfblocks);
    }

    #[test]
    fn graphics_need_the_size_of_a_cell_and_half_blocks_do_not() {
        let kitty = picker(Graphics::Auto, ProtocolType::Kitty, Some((9, 18)));
        assert_eq!(kitty.protocol_type(), ProtocolType::Kitty);
        assert_eq!(kitty.font_size(), (9, 18));
        let unknown_cell = picker(Graphics::Auto, ProtocolType::Kitty, None);
        assert_eq!(unknown_cell.protocol_type(), ProtocolType::Halfblocks);
        let chosen = picker(Graphics::Sixel, ProtocolType::Halfblocks, Some((8, 16)));
        assert_eq!(chosen.protocol_type(), ProtocolType::Sixel);
        let plain = picker(Graphics::Halfblocks, ProtocolType::Kitty, Some((8, 16)));
        assert_eq!(plain.protocol_type(), ProtocolType::Halfblocks);
    }
}
