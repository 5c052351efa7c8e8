//! `storypath new story --lang LANG` and `--translate SLUG --lang LANG`:
//! a story in another language of the site, or the start of a translation.
//!
//! A translation starts as a copy of its original (`ada-okafor.md` ->
//! `ada-okafor.fr.md`, beside it): the same front matter, which keeps the
//! structure a translation must keep (see `validate::languages`), and the
//! original's body, to be translated in place. A comment at the top names
//! what to translate. It is not made a draft: a translation whose `draft`
//! differs from its original's is an error.

use super::{free_path, write_new, ScaffoldError};
use std::path::{Path, PathBuf};

/// The part of a file name that says its language (`.fr`), or nothing for
/// the default language; an error for a code that is not one of the site's.
pub(super) fn suffix(root: &Path, lang: Option<&str>) -> Result<String, ScaffoldError> {
    let Some(code) = lang else { return Ok(String::new()) };
    let config = crate::load::config_only(root);
    match config.lang_index(Some(code)) {
        Some(0) => Ok(String::new()),
        Some(k) => Ok(format!(".{}", config.languages[k].code.value)),
        None => {
            let known: Vec<&str> = config.languages.iter().map(|l| l.code.value.as_str()).collect();
            Err(ScaffoldError::Usage(
                format!("`{code}` is not a language of this site (its languages: {})", known.join(", ")),
                format!("add [languages.{code}] with its title to site.toml first"),
            ))
        }
    }
}

/// Writes the `lang` translation of the story `slug` of the default
/// language beside it, and returns its path.
pub fn translate_story(root: &Path, slug: &str, lang: &str) -> Result<PathBuf, ScaffoldError> {
    let suffix = suffix(root, Some(lang))?;
    if suffix.is_empty() {
        return Err(ScaffoldError::Usage(
            format!("`{lang}` is the site's default language: the original is written in it"),
            "name the language to translate into, like --lang fr".into(),
        ));
    }
    let loaded = crate::load::load(root, None);
    let original =
        loaded.stories.iter().find(|s| s.slug.value == slug && loaded.config.lang_index(s.lang.as_deref()) == Some(0));
    let Some(original) = original else {
        let slugs = loaded.stories.iter().filter(|s| s.lang.is_none()).map(|s| s.slug.value.as_str());
        let hint = crate::text::did_you_mean(slug, slugs)
            .unwrap_or_else(|| "give the slug of a story of the default language (its file name without .md)".into());
        return Err(ScaffoldError::Usage(format!("no story `{slug}` to translate"), hint));
    };
    let rel = match original.file.strip_suffix(".md") {
        Some(stem) => format!("{stem}{suffix}.md"),
        None => format!("content/stories/{slug}{suffix}.md"),
    };
    let path = free_path(root, &rel, "the translation exists: edit that file")?;
    let text = std::fs::read_to_string(root.join(&original.file)).map_err(|e| {
        ScaffoldError::Refused(format!("cannot read {}: {e}", original.file), "check the file's permissions".into())
    })?;
    let Some(rest) = text.strip_prefix("+++") else {
        return Err(ScaffoldError::Refused(
            format!("{} does not start with +++", original.file),
            "run storypath check and fix the original first".into(),
        ));
    };
    let name = Path::new(&original.file)
        .file_name()
        .map_or_else(|| original.file.clone(), |n| n.to_string_lossy().into_owned());
    let note = format!(
        "\n# The {lang} translation of {name}. Translate title, quote, location, photo_alt, the video's\n\
         # transcript, the words of `outside` jobs and the text below; keep everything else as in {name}."
    );
    write_new(&path, format!("+++{note}{rest}").as_bytes())?;
    Ok(PathBuf::from(rel))
}
