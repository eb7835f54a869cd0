//! Saving collection files: canonical JSON, written atomically.

use std::path::Path;

use super::{COLLECTION_FILE, FOLDER_FILE, LoadedRequest, SaveError, document, write_atomic};
use crate::model::{CollectionMeta, FolderMeta};

/// Writes a request file and, when its body has one, the body's sidecar file. The sidecar is
/// written first, so a request file never names a body that is not yet on disk.
pub fn save_request(loaded: &LoadedRequest) -> Result<(), SaveError> {
    if let (Some(sidecar), Some(text)) = (loaded.request.body.sidecar(), &loaded.body_text) {
        write_atomic(&loaded.path.with_file_name(sidecar), text.as_bytes())?;
    }
    write_atomic(&loaded.path, document::render(&loaded.request).as_bytes())
}

/// Saves `loaded` over `previous` (the version on disk): when the body's sidecar file changed
/// name or went away (the body's kind changed), the old sidecar file is removed after the new
/// files are written.
pub fn save_request_replacing(
    loaded: &LoadedRequest,
    previous: Option<&LoadedRequest>,
) -> Result<(), SaveError> {
    save_request(loaded)?;
    if let Some(old) = previous.and_then(|p| p.request.body.sidecar()) {
        if Some(old) != loaded.request.body.sidecar() {
            let _ = std::fs::remove_file(loaded.path.with_file_name(old));
        }
    }
    Ok(())
}

pub fn save_collection_meta(dir: &Path, meta: &CollectionMeta) -> Result<(), SaveError> {
    write_atomic(
        &dir.join(COLLECTION_FILE),
        document::render(meta).as_bytes(),
    )
}

pub fn save_folder_meta(dir: &Path, meta: &FolderMeta) -> Result<(), SaveError> {
    write_atomic(&dir.join(FOLDER_FILE), document::render(meta).as_bytes())
}
