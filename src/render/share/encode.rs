//! A drawn card as a 4-bit indexed-colour PNG, with its zlib stream
//! written here.
//!
//! Why not hand the rows to a general compressor: a card is 630 rows of
//! 600 bytes, and most rows repeat the row above (the background between
//! and around the lines of text, the accent bar). PNG's "Up" filter makes
//! such a row all zeros, and any general compressor still reads each of
//! its bytes to find that out; at 10,000 cards that reading was most of
//! what a first build spent on cards (fdeflate, the png crate's own fast
//! compressor, took about 40 of a card's 73 µs on it). Here the rows come
//! with word of whether they repeat the row above (`super::Card::rows`
//! knows it for the rows its text does not cross), and a repeated row is
//! written as its filter byte and one run of zeros without being read;
//! only the rows that changed are filtered and read, a word at a time.
//!
//! The stream is one deflate block with a Huffman code fitted to cards
//! ([`LENGTHS`], RFC 1951 3.2.7): bytes are literals, and runs of zeros
//! are a literal zero followed by copies of the byte before it (distance
//! 1, lengths up to 258). A mean card is about 9.4 KB, against 12.0 KB
//! from fdeflate's code (tuned for PNG data in general) and 14.6 KB from
//! deflate's fixed code (docs/performance.md). The checksum (Adler-32)
//! comes from `simd-adler32`, and a repeated row's share of it is worked
//! out in one step. The png crate writes the file
//! around the stream (signature, header, palette, chunk checksums).

/// PNG's filter type "Up": each byte minus the byte above.
const UP: u8 = 2;

/// A PNG being written row by row, each row given with the row above it:
/// a card's rows are made one at a time (`super::Card::rows`), and only
/// the rows it drew on are ever copied.
pub(in crate::render) struct Png {
    z: Stream,
    /// A changed row filtered: its filter byte, then the differences.
    filtered: Vec<u8>,
}

impl Png {
    /// For rows of `stride` bytes.
    pub fn new(stride: usize) -> Png {
        let mut filtered = vec![0u8; stride + 1];
        filtered[0] = UP;
        Png { z: Stream::new(), filtered }
    }

    /// The next row, the row above it (zeros above the first) and whether
    /// the two are equal, as the caller often knows without comparing.
    pub fn row(&mut self, row: &[u8], above: &[u8], same: bool) {
        debug_assert_eq!(same, row == above);
        if same {
            self.z.repeated_row(row.len());
        } else {
            for ((f, &p), &a) in self.filtered[1..].iter_mut().zip(row).zip(above) {
                *f = p.wrapping_sub(a);
            }
            self.z.bytes(&self.filtered);
        }
    }

    /// The file: signature, header, palette and the rows (written by the
    /// png crate around the stream).
    pub fn finish(self, width: u32, height: u32, palette: &[u8]) -> Result<Vec<u8>, String> {
        let zlib = self.z.finish();
        let mut out = Vec::with_capacity(zlib.len() + 128);
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Four);
        enc.set_palette(palette.to_vec());
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_chunk(png::chunk::IDAT, &zlib).map_err(|e| e.to_string())?;
        w.finish().map_err(|e| e.to_string())?;
        Ok(out)
    }
}

/// Adler-32's modulus.
const BASE: u64 = 65521;

/// A zlib stream being written.
struct Stream {
    out: Vec<u8>,
    bits: Bits,
    adler: simd_adler32::Adler32,
}

/// Where the deflate stream is: bits not yet a whole byte and the zeros
/// not yet written. Copied into a local while a row is read, so that the
/// compiler keeps it in registers (as fields behind `&mut self` it was
/// stored and loaded again for every literal).
#[derive(Clone, Copy)]
struct Bits {
    /// Bits waiting to be written, the first in the lowest bit (deflate's
    /// order), and how many.
    bits: u64,
    n: u32,
    /// Zeros read and not yet written: written as a run before the next
    /// byte that is not zero, or at the end.
    zeros: usize,
}

impl Stream {
    fn new() -> Stream {
        // zlib's header: deflate with a 32 KiB window, the fastest level
        // (0x78 0x01, a multiple of 31 as the format asks).
        let mut out = Vec::with_capacity(32 * 1024);
        out.extend_from_slice(&[0x78, 0x01]);
        let mut bits = Bits { bits: 0, n: 0, zeros: 0 };
        bits.header(&mut out);
        Stream { out, bits, adler: simd_adler32::Adler32::new() }
    }

    /// A row equal to the row above, `stride` bytes: its filter byte and
    /// `stride` zeros, counted in the checksum without reading them
    /// (Adler-32 adds nothing to its first sum for a zero, and the first
    /// sum to the second for each).
    fn repeated_row(&mut self, stride: usize) {
        let sum = self.adler.finish();
        let (a, b) = ((sum & 0xffff) as u64, (sum >> 16) as u64);
        let a = (a + UP as u64) % BASE;
        let b = (b + a * (stride as u64 + 1)) % BASE;
        self.adler = simd_adler32::Adler32::from_checksum(((b << 16) | a) as u32);
        if self.bits.zeros > 0 {
            self.bits.run(&mut self.out);
        }
        self.bits.literals(&mut self.out, &[UP]);
        self.bits.zeros += stride;
    }

    /// Bytes as they are, read a word (eight bytes) at a time: a word of
    /// zeros adds to the run of zeros; the zeros a word starts with end
    /// that run, the zeros it ends with start the next, and the bytes
    /// between are literals, zeros among them too (a branch for each byte,
    /// taken one way or the other as the text falls, cost more than the
    /// few bits a shorter run would save).
    fn bytes(&mut self, data: &[u8]) {
        self.adler.write(data);
        let (mut w, out) = (self.bits, &mut self.out);
        let mut words = data.chunks_exact(8);
        for word in &mut words {
            let x = u64::from_le_bytes(word.try_into().unwrap_or_default());
            if x == 0 {
                w.zeros += 8;
                continue;
            }
            let first = (x.trailing_zeros() / 8) as usize;
            let last = 7 - (x.leading_zeros() / 8) as usize;
            w.zeros += first;
            if w.zeros > 0 {
                w.run(out);
            }
            w.literals(out, &word[first..=last]);
            w.zeros = 7 - last;
        }
        for &b in words.remainder() {
            if b == 0 {
                w.zeros += 1;
            } else {
                if w.zeros > 0 {
                    w.run(out);
                }
                w.literals(out, &[b]);
            }
        }
        self.bits = w;
    }

    /// The last run, the end of the block, the bits to a whole byte and
    /// the checksum (big-endian, as zlib has it).
    fn finish(mut self) -> Vec<u8> {
        let (mut w, out) = (self.bits, &mut self.out);
        if w.zeros > 0 {
            w.run(out);
        }
        let (end, bits) = END_OF_BLOCK;
        w.put(out, end as u64, bits as u32);
        let whole = w.n.div_ceil(8) as usize;
        out.extend_from_slice(&w.bits.to_le_bytes()[..whole]);
        out.extend_from_slice(&self.adler.finish().to_be_bytes());
        self.out
    }
}

impl Bits {
    /// The only block's header (RFC 1951, 3.2.7): last block, dynamic
    /// codes, 286 literal/length codes ([`LENGTHS`]) and one distance code
    /// (one bit). The code lengths are written with a code-length code in
    /// which each length 0 to 15 takes four bits (its own value): 155
    /// bytes, against the thousands the fitted code saves.
    fn header(&mut self, out: &mut Vec<u8>) {
        // Last block (1), dynamic codes (10); 286 - 257 literal/length
        // codes, 1 - 1 distance codes, 19 - 4 code-length codes.
        self.put(out, 0b101, 3);
        self.put(out, 29 | (15 << 10), 14);
        // The code-length code's lengths, in the format's order (16, 17,
        // 18, 0, 8, 7, ...): four bits for 0 to 15, none for the runs.
        const ORDER: [u8; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
        for symbol in ORDER {
            self.put(out, if symbol < 16 { 4 } else { 0 }, 3);
        }
        // Sixteen codes of four bits: length k's code is k, reversed.
        for n in LENGTHS.iter().chain(&[1]) {
            self.put(out, reversed(*n as u32, 4) as u64, 4);
        }
    }

    /// Appends `n` bits of `code`, lowest first (`n` under 64). The buffer
    /// holds under 64 bits between calls: when it fills, its 64 bits are
    /// written and the code's bits that did not fit start it again.
    #[inline]
    fn put(&mut self, out: &mut Vec<u8>, code: u64, n: u32) {
        debug_assert!(n < 64 && self.n < 64);
        self.bits |= code << self.n;
        let total = self.n + n;
        if total >= 64 {
            out.extend_from_slice(&self.bits.to_le_bytes());
            // The code's bits not yet written (none when it fitted exactly).
            self.bits = code.checked_shr(64 - self.n).unwrap_or(0);
            self.n = total - 64;
        } else {
            self.n = total;
        }
    }

    /// Up to eight bytes as literals, four to a [`put`](Bits::put) (at
    /// most 60 bits).
    #[inline]
    fn literals(&mut self, out: &mut Vec<u8>, bytes: &[u8]) {
        for four in bytes.chunks(4) {
            let (mut code, mut n) = (0u64, 0u32);
            for &b in four {
                let (c, bits) = LITERALS[b as usize];
                code |= (c as u64) << n;
                n += bits as u32;
            }
            self.put(out, code, n);
        }
    }

    /// Writes the waiting zeros: a literal zero, then copies of the byte
    /// before (distance 1) for the rest; a remainder under three copies,
    /// which deflate cannot express, as literal zeros. A run of up to
    /// [`SHORT`] zeros, most of a card's, is one table entry.
    #[inline]
    fn run(&mut self, out: &mut Vec<u8>) {
        let n = std::mem::take(&mut self.zeros);
        if n <= SHORT {
            let (code, bits) = RUNS[n];
            self.put(out, code as u64, bits as u32);
        } else {
            *self = self.long_run(out, n);
        }
    }

    /// By value, so that a caller's [`Bits`] never has its address taken
    /// and stays in registers.
    #[cold]
    fn long_run(mut self, out: &mut Vec<u8>, mut n: usize) -> Bits {
        let (zero, bits) = LITERALS[0];
        self.put(out, zero as u64, bits as u32);
        n -= 1;
        while n >= 258 {
            let (code, bits) = COPIES[258];
            self.put(out, code as u64, bits as u32);
            n -= 258;
        }
        if n >= 3 {
            let (code, bits) = COPIES[n];
            self.put(out, code as u64, bits as u32);
        } else {
            for _ in 0..n {
                self.put(out, zero as u64, bits as u32);
            }
        }
        self
    }
}

/// `code`'s `n` bits in reverse order: Huffman codes are defined from
/// their first bit, and deflate writes that bit first, in the lowest
/// place.
const fn reversed(code: u32, n: u32) -> u32 {
    code.reverse_bits() >> (32 - n)
}

/// The code lengths of the literal/length symbols 0 to 285, in bits: a
/// Huffman code of how often the encoder writes each symbol for a card,
/// counted over the 1,060 drawn cards of the benchmark's 1,000-story site
/// and the demo, each count plus one (so every symbol has a code and any
/// rows can be written), limited to 15 bits. Counted and fitted by
/// `docs/card_code.py`; the code is complete (checked below), which
/// deflate requires.
const LENGTHS: [u8; 286] = [
    2, 6, 4, 7, 7, 8, 9, 9, 10, 15, 13, 15, 13, 15, 12, 13, 6, 10, 11, 9, 10, 9, 9, 9, 9, 13, 13, 15, 15, 15, 15, 15,
    7, 10, 11, 10, 11, 11, 10, 12, 10, 11, 13, 15, 15, 15, 15, 13, 7, 9, 11, 7, 10, 9, 10, 11, 10, 11, 13, 11, 13, 13,
    15, 15, 8, 10, 11, 11, 14, 6, 10, 10, 9, 11, 11, 15, 14, 11, 15, 15, 8, 10, 11, 9, 11, 8, 10, 10, 8, 10, 10, 11,
    14, 12, 15, 15, 9, 10, 10, 9, 11, 10, 8, 11, 9, 10, 10, 10, 11, 11, 11, 11, 9, 9, 11, 11, 11, 9, 9, 10, 7, 10, 9,
    9, 11, 10, 10, 9, 9, 9, 10, 10, 10, 9, 9, 9, 7, 11, 9, 9, 11, 11, 13, 10, 9, 11, 11, 11, 12, 10, 9, 10, 9, 12, 8,
    10, 10, 10, 11, 10, 8, 15, 15, 12, 11, 11, 10, 9, 9, 10, 10, 8, 12, 10, 11, 9, 8, 15, 15, 12, 15, 14, 12, 11, 9,
    10, 10, 7, 12, 10, 10, 10, 8, 15, 15, 13, 13, 11, 11, 11, 10, 11, 10, 10, 10, 7, 10, 9, 7, 15, 15, 15, 15, 15, 12,
    11, 10, 12, 11, 11, 12, 10, 13, 10, 7, 15, 15, 15, 14, 14, 14, 11, 9, 10, 10, 10, 9, 9, 12, 11, 6, 13, 14, 14, 13,
    12, 14, 14, 10, 9, 8, 8, 8, 7, 7, 6, 13, 6, 6, 7, 7, 7, 8, 7, 8, 7, 8, 9, 9, 7, 8, 9, 9, 7, 7, 8, 10, 11, 5, 12,
    10, 13, 9, 10, 8, 3,
];

// A complete code: the lengths' Kraft sum is exactly one.
const _: () = {
    let mut sum = 0u64;
    let mut i = 0;
    while i < 286 {
        assert!(LENGTHS[i] >= 1 && LENGTHS[i] <= 15);
        sum += 1 << (15 - LENGTHS[i]);
        i += 1;
    }
    assert!(sum == 1 << 15);
};

/// Each symbol's canonical code (RFC 1951, 3.2.2), reversed for writing,
/// and its length.
const CODES: [(u16, u8); 286] = {
    let mut count = [0u32; 16];
    let mut i = 0;
    while i < 286 {
        count[LENGTHS[i] as usize] += 1;
        i += 1;
    }
    let mut next = [0u32; 16];
    let (mut code, mut bits) = (0u32, 1);
    while bits < 16 {
        code = (code + if bits == 1 { 0 } else { count[bits - 1] }) << 1;
        next[bits] = code;
        bits += 1;
    }
    let mut t = [(0, 0); 286];
    let mut i = 0;
    while i < 286 {
        let n = LENGTHS[i] as usize;
        t[i] = (reversed(next[n], n as u32) as u16, n as u8);
        next[n] += 1;
        i += 1;
    }
    t
};

/// Each byte's literal code.
const LITERALS: [(u16, u8); 256] = {
    let mut t = [(0, 0); 256];
    let mut b = 0;
    while b < 256 {
        t[b] = CODES[b];
        b += 1;
    }
    t
};

const END_OF_BLOCK: (u16, u8) = CODES[256];

/// For each length 3 to 258 (the index), the bits that copy that many
/// bytes from distance 1: the length's symbol, its extra bits, and the
/// distance's code (the only one: symbol 0, one bit, a zero).
const COPIES: [(u32, u8); 259] = {
    // The first length of symbols 257 to 285, and their extra bits.
    const BASES: [u32; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ];
    const EXTRA: [u32; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    let mut t = [(0, 0); 259];
    let mut len = 3;
    while len <= 258 {
        // The last symbol whose base is at most `len`.
        let mut s = 28;
        while BASES[s] > len as u32 {
            s -= 1;
        }
        let (code, n) = CODES[257 + s];
        let extra = len as u32 - BASES[s];
        let bits = code as u32 | extra << n;
        t[len] = (bits, n + EXTRA[s] as u8 + 1);
        len += 1;
    }
    t
};

/// The longest run of zeros written as one entry of [`RUNS`]: a literal
/// zero and one copy of up to 258.
const SHORT: usize = 259;

/// For each run of 1 to [`SHORT`] zeros (the index), its bits: a literal
/// zero, then one copy of the rest, or literal zeros when the rest is
/// under three (at most 32 bits: checked below).
const RUNS: [(u32, u8); SHORT + 1] = {
    let (zero, z) = LITERALS[0];
    let (zero, z) = (zero as u32, z);
    let mut t = [(0, 0); SHORT + 1];
    let mut n = 1;
    while n <= SHORT {
        t[n] = match n {
            1 => (zero, z),
            2 => (zero | zero << z, 2 * z),
            3 => (zero | zero << z | zero << (2 * z), 3 * z),
            _ => {
                let (copy, c) = COPIES[n - 1];
                (zero | copy << z, z + c)
            }
        };
        n += 1;
    }
    t
};

const _: () = {
    let mut n = 1;
    while n <= SHORT {
        assert!(RUNS[n].1 <= 32);
        n += 1;
    }
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// The stream inflated by another implementation (miniz_oxide, through
    /// flate2), which checks the checksum.
    fn inflate(z: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(z).read_to_end(&mut out).expect("a valid zlib stream");
        out
    }

    /// A 4-bit indexed-colour PNG of `rows` (palette indices under 16, two
    /// pixels a byte, the first in the high nibble, each row
    /// `width.div_ceil(2)` bytes), every row Up-filtered.
    fn encode_indexed(rows: &[u8], width: u32, height: u32, palette: &[u8]) -> Result<Vec<u8>, String> {
        let stride = (width as usize).div_ceil(2);
        debug_assert_eq!(rows.len(), stride * height as usize);
        let mut png = Png::new(stride);
        // Zeros above the first row, as PNG has it.
        let zeros = vec![0u8; stride];
        let mut above: &[u8] = &zeros;
        for row in rows.chunks_exact(stride.max(1)) {
            png.row(row, above, row == above);
            above = row;
        }
        png.finish(width, height, palette)
    }

    /// The zlib stream of `rows`, as `encode_indexed` writes it.
    fn zlib(rows: &[u8], stride: usize) -> Vec<u8> {
        let mut png = Png::new(stride);
        let zeros = vec![0; stride];
        let mut above: &[u8] = &zeros;
        for row in rows.chunks_exact(stride) {
            png.row(row, above, row == above);
            above = row;
        }
        png.z.finish()
    }

    /// The rows Up-filtered the long way, each with its filter byte.
    fn filtered(rows: &[u8], stride: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let zeros = vec![0; stride];
        let mut above: &[u8] = &zeros;
        for row in rows.chunks_exact(stride) {
            out.push(UP);
            out.extend(row.iter().zip(above).map(|(p, a)| p.wrapping_sub(*a)));
            above = row;
        }
        out
    }

    #[test]
    fn the_stream_inflates_to_the_filtered_rows_with_a_right_checksum() {
        // Repeated rows, runs of every length around the limits (1, 2, 3,
        // 258, 259, 260, 261, long ones across rows), bytes of every value
        // and strides that are not a multiple of eight.
        for stride in [1usize, 3, 8, 13, 600] {
            let mut rows = Vec::new();
            for y in 0..40usize {
                let row: Vec<u8> = (0..stride)
                    .map(|x| match y % 8 {
                        0 | 1 => 0,
                        2 => ((x * 37 + y) % 256) as u8,
                        3 if x % (y + 1) == 0 => (x % 255 + 1) as u8,
                        4 => 0xff,
                        _ => (((x + y) % 263 == 0) as u8) * 9,
                    })
                    .collect();
                rows.extend_from_slice(&row);
                if y % 3 == 0 {
                    rows.extend_from_slice(&row);
                }
            }
            assert_eq!(inflate(&zlib(&rows, stride)), filtered(&rows, stride), "stride {stride}");
        }
    }

    #[test]
    fn every_run_length_round_trips() {
        for n in 1..800 {
            let mut rows = vec![7u8];
            rows.extend(std::iter::repeat_n(0, n));
            rows.push(5);
            assert_eq!(inflate(&zlib(&rows, rows.len())), filtered(&rows, rows.len()), "a run of {n}");
        }
    }

    #[test]
    fn every_pixel_decodes_to_its_palette_colour() {
        // Rows that repeat and rows that change, odd widths (a half byte
        // at the end of each row) and widths not a multiple of sixteen.
        for (width, height) in [(1200u32, 630u32), (37, 9), (16, 3), (1, 7)] {
            let px: Vec<u8> = (0..width * height)
                .map(|i| {
                    let (x, y) = (i % width, i / width);
                    if y % 5 == 4 {
                        0
                    } else {
                        ((x * 7 + y / 2 * 5) % 16) as u8
                    }
                })
                .collect();
            let pal = super::super::palette("#14532d", "#ffffff", "#f59e0b");
            let png = encode_indexed(&super::super::pack(&px, width as usize, 0), width, height, &pal).unwrap();
            let img = image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap().into_rgb8();
            assert_eq!(img.dimensions(), (width, height));
            for (i, &index) in px.iter().enumerate() {
                let (x, y) = (i as u32 % width, i as u32 / width);
                let want = &pal[3 * index as usize..3 * index as usize + 3];
                assert_eq!(&img.get_pixel(x, y).0[..], want, "{width}×{height} at {x},{y}");
            }
        }
    }
}
