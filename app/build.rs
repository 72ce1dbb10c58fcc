//! Turns `locales/zh-CN/*.txt` and `locales/en/*.txt` (`key = text` lines, one file per area) into a `Msg` enum with
//! one variant per key, so a missing or misspelled key is a compile error, and a key missing
//! from one language fails the build.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// Reads every `*.txt` of a language's folder into one map; a key defined twice fails.
fn read_lang(dir: &Path) -> BTreeMap<String, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut out = BTreeMap::new();
    for f in files {
        read(&f, &mut out);
    }
    out
}

fn read(path: &Path, out: &mut BTreeMap<String, String>) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{}:{}: expected `key = text`", path.display(), n + 1));
        let k = k.trim().to_owned();
        assert!(
            k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'),
            "{}:{}: bad key {k:?}",
            path.display(),
            n + 1
        );
        if out.insert(k.clone(), v.trim().to_owned()).is_some() {
            panic!("{}:{}: duplicate key {k}", path.display(), n + 1);
        }
    }
}

fn variant(key: &str) -> String {
    key.split(['.', '_'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn main() {
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"))
        .join("locales");
    let zh = read_lang(&dir.join("zh-CN"));
    let en = read_lang(&dir.join("en"));
    for k in zh.keys() {
        assert!(en.contains_key(k), "locales/en lacks key {k}");
    }
    for k in en.keys() {
        assert!(zh.contains_key(k), "locales/zh-CN lacks key {k}");
    }
    let mut src = String::from(
        "/// One UI text. Generated from `app/locales/<lang>/*.txt` by `build.rs`.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Msg {\n",
    );
    for k in zh.keys() {
        let _ = writeln!(src, "    /// {}\n    {},", zh[k], variant(k));
    }
    src.push_str(
        "}\n\nimpl Msg {\n    pub const fn zh(self) -> &'static str {\n        match self {\n",
    );
    for (k, v) in &zh {
        let _ = writeln!(src, "            Msg::{} => {:?},", variant(k), v);
    }
    src.push_str(
        "        }\n    }\n\n    pub const fn en(self) -> &'static str {\n        match self {\n",
    );
    for (k, v) in &en {
        let _ = writeln!(src, "            Msg::{} => {:?},", variant(k), v);
    }
    src.push_str("        }\n    }\n}\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("i18n.rs");
    std::fs::write(out, src).expect("write i18n.rs");
    println!("cargo:rerun-if-changed=locales");
}
