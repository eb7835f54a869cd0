//! `courier cookies COLLECTION [--clear]`: what a collection's cookie jar holds.

use std::path::Path;

use super::{CookiesArgs, exit};
use crate::http::CookieJar;
use crate::paths::Paths;
use crate::store;

pub fn run(args: CookiesArgs, paths: &Paths) -> u8 {
    let dir = if Path::new(&args.collection)
        .join(store::COLLECTION_FILE)
        .is_file()
    {
        Path::new(&args.collection).to_owned()
    } else {
        let root = args
            .collections
            .unwrap_or_else(|| paths.default_collections());
        let found = store::load_workspace(&root).ok().and_then(|workspace| {
            workspace.collections.into_iter().find(|c| {
                c.name().eq_ignore_ascii_case(&args.collection)
                    || c.dir
                        .file_name()
                        .is_some_and(|n| n.eq_ignore_ascii_case(&args.collection))
            })
        });
        match found {
            Some(collection) => collection.dir,
            None => {
                eprintln!(
                    "courier: no collection `{}` in {}",
                    args.collection,
                    root.display()
                );
                return exit::COLLECTION;
            }
        }
    };
    let file = CookieJar::file_for(&paths.state_dir, &dir);
    let jar = match CookieJar::open(&file) {
        Ok(jar) => jar,
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::COLLECTION;
        }
    };
    if args.clear {
        jar.clear();
        if let Err(err) = jar.save_if_changed() {
            eprintln!("courier: {err}");
            return exit::FAILURE;
        }
        println!("cleared the cookies of {}", dir.display());
        return exit::OK;
    }
    let cookies = jar.list();
    if cookies.is_empty() {
        println!("no cookies ({})", file.display());
    }
    for cookie in cookies {
        let expires = cookie.expires.unwrap_or_else(|| "session".to_owned());
        let flags = [(cookie.secure, " secure"), (cookie.http_only, " httponly")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, text)| *text)
            .collect::<String>();
        println!(
            "{}={}\t{}{}\t{expires}{flags}",
            cookie.name,
            crate::body::make_visible(cookie.value.as_bytes()).text,
            cookie.domain,
            cookie.path
        );
    }
    exit::OK
}
