//! Simple-font encodings.
pub static WIN_ANSI: [Option<char>; 256] = [None; 256];
