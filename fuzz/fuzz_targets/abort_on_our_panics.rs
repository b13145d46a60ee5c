//! The panic hook both fuzz targets install: every panic in arkiv's own code must be seen, so it
//! aborts before any unwinding could be caught. lopdf's panics are the exception: arkiv catches them
//! around each lopdf call and reports the file as damaged, which is the intended outcome, so a panic
//! located in a crate from the cargo registry is left to unwind.

pub fn install() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let third_party = info.location().is_some_and(|l| l.file().contains("/.cargo/registry/"));
            if !third_party {
                eprintln!("{info}");
                std::process::abort();
            }
        }))
    });
}
