//! How `config.yaml` is read: the file's shape as serde types, with every value checked
//! inside the parser's own calls. That placement is the point of this module: an error
//! raised while the parser is on a scalar carries that scalar's line and key path
//! (`keys.reader.j`), where one raised afterwards would only know the enclosing mapping.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use std::collections::BTreeMap;

use super::{Collection, KeyOverride};
use crate::app::Action;
use crate::app::keymap::{Key, Screen};
use crate::app::keyspec;
use crate::diagnostic::{Code, Severity};
use crate::theme::catalog::expand_home;

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) collection: Option<Collections>,
    pub(super) theme: Option<String>,
    pub(super) width: Option<usize>,
    pub(super) full_text_memory: Option<usize>,
    pub(super) show_drafts: Option<bool>,
    pub(super) remember: Option<bool>,
    pub(super) ambiguous_width: Option<AmbiguousWidth>,
    pub(super) max_post_size: Option<usize>,
    pub(super) date_format: Option<DateFormat>,
    pub(super) keys: Option<Keys>,
    pub(super) check: Option<CheckLevels>,
    pub(super) images: Option<Images>,
    pub(super) image_height: Option<ImageHeight>,
    pub(super) editor: Option<String>,
    pub(super) browser: Option<String>,
}

/// `ambiguous_width:` 1 or 2, checked where the parser stands on it.
pub(super) struct AmbiguousWidth(pub(super) u8);

impl<'de> Deserialize<'de> for AmbiguousWidth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match u64::deserialize(deserializer)? {
            n @ (1 | 2) => Ok(AmbiguousWidth(n as u8)),
            n => Err(de::Error::custom(format!(
                "ambiguous_width is 1 or 2 (columns), not {n}"
            ))),
        }
    }
}

/// `check:` — check name → `error`, `warning`, `info` or `off`, each name and level
/// checked where the parser stands on it.
pub(super) struct CheckLevels(pub(super) BTreeMap<Code, Option<Severity>>);

impl<'de> Deserialize<'de> for CheckLevels {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let levels = Option::<BTreeMap<Code, Level>>::deserialize(deserializer)?;
        Ok(CheckLevels(
            levels
                .unwrap_or_default()
                .into_iter()
                .map(|(code, level)| (code, level.0))
                .collect(),
        ))
    }
}

/// One check's level in `check:`; `off` (or `false`) turns it off.
struct Level(Option<Severity>);

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor(
            "error, warning, info or off",
            |text| match text.trim().to_ascii_lowercase().as_str() {
                "error" => Ok(Level(Some(Severity::Error))),
                "warning" => Ok(Level(Some(Severity::Warning))),
                "info" => Ok(Level(Some(Severity::Info))),
                "off" | "false" => Ok(Level(None)),
                _ => Err(format!(
                    "`{text}` is not a level: error, warning, info or off"
                )),
            },
        ))
    }
}

/// `images:` auto, halfblocks or off, checked where the parser stands on it.
pub(super) struct Images(pub(super) crate::images::detect::ImagesSetting);

impl<'de> Deserialize<'de> for Images {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor("auto, halfblocks or off", |text| {
            crate::images::detect::ImagesSetting::parse(text)
                .map(Images)
                .ok_or_else(|| format!("images is auto, halfblocks or off, not `{text}`"))
        }))
    }
}

/// `image_height:` a percentage of the reading area, 10 to 100.
pub(super) struct ImageHeight(pub(super) u8);

impl<'de> Deserialize<'de> for ImageHeight {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match u64::deserialize(deserializer)? {
            n @ 10..=100 => Ok(ImageHeight(n as u8)),
            n => Err(de::Error::custom(format!(
                "image_height is a percentage of the screen from 10 to 100, not {n}"
            ))),
        }
    }
}

/// `collection:` as one path, or a list of paths and `{ name, path }` entries.
pub(super) struct Collections(pub(super) Vec<Collection>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamedCollection {
    name: String,
    path: String,
}

fn collection_of(path: &str, name: Option<String>) -> Collection {
    let path = expand_home(path);
    let name = name.unwrap_or_else(|| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string())
    });
    Collection { name, path }
}

impl<'de> Deserialize<'de> for Collections {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Collections;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a folder, or a list of folders and { name, path } entries")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Collections, E> {
                Ok(Collections(vec![collection_of(v, None)]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Collections, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<CollectionItem>()? {
                    out.push(item.0);
                }
                Ok(Collections(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

struct CollectionItem(Collection);

impl<'de> Deserialize<'de> for CollectionItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CollectionItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a folder, or { name: NAME, path: FOLDER }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CollectionItem, E> {
                Ok(CollectionItem(collection_of(v, None)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CollectionItem, A::Error> {
                let named =
                    NamedCollection::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(CollectionItem(collection_of(&named.path, Some(named.name))))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A strftime format, checked so that formatting can never fail later.
pub(super) struct DateFormat(pub(super) String);

impl<'de> Deserialize<'de> for DateFormat {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor("a strftime format", |text| {
            match chrono::format::StrftimeItems::new(text).parse() {
                Ok(_) if !text.is_empty() => Ok(DateFormat(text.to_string())),
                _ => Err(format!(
                    "`{text}` is not a strftime format chrono understands, \
                     e.g. \"%Y-%m-%d\" or \"%d %b %Y\""
                )),
            }
        }))
    }
}

/// Checks a scalar inside the parser's own call, where it still knows the scalar's line
/// (an error raised after deserializing a plain `String` would carry the line of the
/// enclosing mapping instead). Numbers and booleans are taken as the text typed: in
/// `keys`, `1:` and `y:` are keys.
struct TextVisitor<T>(&'static str, fn(&str) -> Result<T, String>);

impl<T> Visitor<'_> for TextVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.1)(v).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
}

/// `keys:` — screen → key → action, checked as it is read so that errors have lines.
pub(super) struct Keys(pub(super) Vec<KeyOverride>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("screens (global, list, reader, outline, picker, search, tags, tag-filter, help) mapping keys to actions")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Keys, E> {
                Ok(Keys(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut out = Vec::new();
                while let Some(ScreenName(screen)) = map.next_key()? {
                    map.next_value_seed(ScreenKeys(screen, &mut out))?;
                }
                Ok(Keys(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

struct ScreenName(Screen);

impl<'de> Deserialize<'de> for ScreenName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor("a screen name", |name| {
            keyspec::screen_from_name(name).map(ScreenName)
        }))
    }
}

struct ScreenKeys<'a>(Screen, &'a mut Vec<KeyOverride>);

impl<'de> DeserializeSeed<'de> for ScreenKeys<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ScreenKeys<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("keys mapped to action names, e.g. { j: scroll-down }")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(KeyName(key)) = map.next_key()? {
            let ActionName(action) = map.next_value()?;
            self.1.push(KeyOverride {
                screen: self.0,
                key,
                action,
            });
        }
        Ok(())
    }
}

struct KeyName(Key);

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor("a key, e.g. j or ctrl-d", |text| {
            keyspec::parse_key(text).map(KeyName)
        }))
    }
}

struct ActionName(Option<Action>);

impl<'de> Deserialize<'de> for ActionName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor("an action name", |name| {
            keyspec::action_from_name(name).map(ActionName)
        }))
    }
}
