//! One value model for three front-matter formats. YAML, TOML and JSON all become a
//! `serde_json::Value`, so the field extraction in [`super::meta`] is written once.
//!
//! YAML goes through [`Loose`] rather than straight into `serde_json::Value` or
//! `yaml_serde::Value`, because real front matter has things both reject: duplicate keys
//! (Hugo keeps the last; `yaml_serde::Value` errors), non-string keys (`2024: x`),
//! tagged values (`!foo bar`) and non-finite floats. Losing a whole post's metadata to
//! one of those would be worse than reading them best-effort.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess};
use serde_json::{Map, Number, Value};

/// A `serde_json::Value` that deserializes from anything serde can describe.
pub(crate) struct Loose(pub Value);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor).map(Loose)
    }
}

struct LooseVisitor;

impl<'de> de::Visitor<'de> for LooseVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON has no NaN or infinity; keep what was written as text.
        Ok(Number::from_f64(v).map_or_else(|| Value::String(v.to_string()), Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Loose::deserialize(d).map(|l| l.0)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Loose::deserialize(d).map(|l| l.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Loose(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Loose(key)) = map.next_key()? {
            let Loose(value) = map.next_value()?;
            // Later duplicates win, as in Hugo.
            out.insert(key_string(key), value);
        }
        Ok(Value::Object(out))
    }

    /// A YAML tag (`!foo bar`) arrives as an enum; the tag is dropped, the value kept.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant::<Loose>().map(|l| l.0)
    }
}

/// A mapping key as text: strings as they are, anything else in its JSON form.
fn key_string(key: Value) -> String {
    match key {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// TOML's model is richer in one way (native datetimes): those become their RFC 3339
/// text, which [`crate::library::PostDate::parse`] reads back.
pub(crate) fn from_toml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => {
            Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number)
        }
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(dt) => Value::String(dt.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(from_toml).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str::<Loose>(text)
            .map(|l| l.0)
            .expect("parses")
    }

    #[test]
    fn yaml_duplicates_keep_the_last() {
        assert_eq!(yaml("a: 1\na: 2\n"), serde_json::json!({"a": 2}));
    }

    #[test]
    fn yaml_odd_keys_and_tags_survive() {
        let v = yaml("2024: x\ntrue: y\nt: !custom hello\nn: .nan\n");
        assert_eq!(v["2024"], "x");
        assert_eq!(v["true"], "y");
        assert_eq!(v["t"], "hello");
        assert_eq!(v["n"], "NaN");
    }

    #[test]
    fn toml_datetimes_become_text() {
        let table: toml::Table =
            toml::from_str("d = 1979-05-27T07:32:00-08:00\nl = 2020-01-02").expect("parses");
        let v = from_toml(toml::Value::Table(table));
        assert_eq!(v["d"], "1979-05-27T07:32:00-08:00");
        assert_eq!(v["l"], "2020-01-02");
    }
}
