//! Rebuilds the crate when a `.ftl` file is added to `locales/`:
//! `include_ftl!` embeds the files, and cargo watches only those it saw.

fn main() {
    println!("cargo:rerun-if-changed=locales");
}
