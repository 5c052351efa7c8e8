//! A small in-process fuzzer: seeded mutations of real inputs (byte flips,
//! deletions, insertions of tokens that matter to TOML, Markdown and UTF-8,
//! repeats, splices of two inputs), each target run under `catch_unwind`.
//! Deterministic from its seed, so every finding reproduces. Used by
//! `tests/robustness.rs` and `tests/fuzz.rs`.

/// A small deterministic generator (xorshift), so failures reproduce.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

pub const PIECES: &[&[u8]] = &[
    b"+++",
    b"\n",
    b"\r\n",
    b"\"",
    b"[",
    b"]",
    b"{",
    b"}",
    b"=",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"0",
    b"-1",
    b"99999999999999999999",
    b"role",
    b"outside",
    b"path",
    b"parents",
    b"[relations]",
    b"<script>",
    b"\xe2\x80\xae",
    b"1979-05-27T07:32:00Z",
    b"07:32:00",
    b"nan",
    b"''' ",
    b"#",
    b"\x00",
];

/// `input` changed by one to four random edits; `other` (another input of
/// the corpus) may be spliced in.
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 | 1 => {
                let piece = PIECES[rng.below(PIECES.len())];
                bytes.splice(at..at, piece.iter().copied());
            }
            2 => {
                let end = (at + 1 + rng.below(24)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            3 => {
                if at < bytes.len() {
                    bytes[at] = rng.next() as u8;
                }
            }
            4 => {
                // Repeat a stretch: deep nesting, long lines, many keys.
                let end = (at + 1 + rng.below(16)).min(bytes.len());
                let stretch: Vec<u8> = bytes[at.min(end)..end].to_vec();
                for _ in 0..1 + rng.below(50) {
                    bytes.splice(at..at, stretch.iter().copied());
                }
            }
            _ => {
                // Splice in a piece of another input.
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let end = (from + 1 + rng.below(200)).min(other.len());
                    bytes.splice(at..at, other[from..end].iter().copied());
                }
            }
        }
    }
    bytes
}
