//! A drawn card (or icon) as a 4-bit indexed-colour PNG, with its zlib
//! stream written here.
//!
//! Why not hand the rows to a general compressor: a card is 630 rows of
//! 600 bytes, and most rows repeat the row above (the background between
//! and around the lines of text, the accent bar). PNG's "Up" filter makes
//! such a row all zeros, and any general compressor still reads each of
//! its bytes to find that out; at 10,000 cards that reading was most of
//! what a first build spends on cards (fdeflate, the png crate's own fast
//! compressor, took about 40 of a card's 73 µs on it). Here the encoder
//! knows a repeated row when it sees one, by comparing it with the row
//! above, and writes it as its filter byte and one run of zeros without
//! reading it again; only rows that differ from the row above are
//! filtered and read.
//!
//! The stream is one deflate block with the fixed Huffman code of RFC
//! 1951 (3.2.6): each byte that is not zero is a literal, and each run of
//! zeros is a literal zero followed by copies of the byte before it
//! (distance 1, lengths up to 258). That is all a card's rows need: the
//! fixed code costs about a fifth more bytes than fdeflate's tuned one
//! (docs/performance.md has the figures), for a file of about 15 KB. The
//! checksum (Adler-32) comes from `simd-adler32`, and a repeated row's
//! share of it is worked out in one step. The png crate writes the file
//! around the stream (signature, header, palette, chunk checksums).

/// PNG's filter type "Up": each byte minus the byte above.
const UP: u8 = 2;

/// A 4-bit indexed-colour PNG of `rows` (palette indices under 16, two
/// pixels a byte, the first in the high nibble, each row
/// `width.div_ceil(2)` bytes), every row Up-filtered.
pub(in crate::render) fn encode_indexed(
    rows: &[u8],
    width: u32,
    height: u32,
    palette: &[u8],
) -> Result<Vec<u8>, String> {
    let stride = (width as usize).div_ceil(2);
    debug_assert_eq!(rows.len(), stride * height as usize);
    let zlib = zlib(rows, stride);
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

/// The zlib stream of the Up-filtered `rows` of `stride` bytes each.
fn zlib(rows: &[u8], stride: usize) -> Vec<u8> {
    let mut z = Stream::new();
    // Zeros above the first row, as PNG has it.
    let zeros = vec![0u8; stride];
    let mut above: &[u8] = &zeros;
    // A changed row filtered: its filter byte, then the differences.
    let mut filtered = vec![0u8; stride + 1];
    filtered[0] = UP;
    for row in rows.chunks_exact(stride.max(1)) {
        if row == above {
            z.repeated_row(stride);
        } else {
            for ((f, &p), &a) in filtered[1..].iter_mut().zip(row).zip(above) {
                *f = p.wrapping_sub(a);
            }
            z.bytes(&filtered);
        }
        above = row;
    }
    z.finish()
}

/// Adler-32's modulus.
const BASE: u64 = 65521;

/// A zlib stream being written: bits not yet a whole byte, the zeros not
/// yet written, and the checksum so far.
struct Stream {
    out: Vec<u8>,
    /// Bits waiting to be written, the first in the lowest bit (deflate's
    /// order), and how many.
    bits: u64,
    nbits: u32,
    /// Zeros read and not yet written: written as a run before the next
    /// byte that is not zero, or at the end.
    zeros: usize,
    adler: simd_adler32::Adler32,
}

impl Stream {
    fn new() -> Stream {
        // zlib's header: deflate with a 32 KiB window, the fastest level
        // (0x78 0x01, a multiple of 31 as the format asks).
        let mut s = Stream {
            out: Vec::with_capacity(32 * 1024),
            bits: 0,
            nbits: 0,
            zeros: 0,
            adler: simd_adler32::Adler32::new(),
        };
        s.out.extend_from_slice(&[0x78, 0x01]);
        // The only block: last (1), fixed Huffman code (01).
        s.put(0b011, 3);
        s
    }

    /// Appends `n` bits of `code`, lowest first (`n` at most 32).
    #[inline]
    fn put(&mut self, code: u32, n: u32) {
        self.bits |= (code as u64) << self.nbits;
        self.nbits += n;
        if self.nbits >= 32 {
            self.out.extend_from_slice(&(self.bits as u32).to_le_bytes());
            self.bits >>= 32;
            self.nbits -= 32;
        }
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
        self.literal(UP);
        self.zeros += stride;
    }

    /// Bytes as they are: each one that is not zero a literal, the zeros
    /// counted into runs (eight at a time where they are eight in a row).
    fn bytes(&mut self, data: &[u8]) {
        self.adler.write(data);
        let mut words = data.chunks_exact(8);
        for word in &mut words {
            if u64::from_ne_bytes(word.try_into().unwrap_or_default()) == 0 {
                self.zeros += 8;
            } else {
                self.each(word);
            }
        }
        self.each(words.remainder());
    }

    fn each(&mut self, data: &[u8]) {
        for &b in data {
            if b == 0 {
                self.zeros += 1;
            } else {
                self.literal(b);
            }
        }
    }

    /// A byte that is not zero, after the zeros waiting before it.
    #[inline]
    fn literal(&mut self, b: u8) {
        debug_assert_ne!(b, 0);
        if self.zeros > 0 {
            self.run();
        }
        let (code, n) = LITERALS[b as usize];
        self.put(code as u32, n as u32);
    }

    /// Writes the waiting zeros: a literal zero, then copies of the byte
    /// before (distance 1) for the rest; a remainder under three copies,
    /// which deflate cannot express, as literal zeros. The byte before a
    /// run is never a zero: runs are written only before a byte that is
    /// not zero, or at the end.
    fn run(&mut self) {
        let mut n = std::mem::take(&mut self.zeros);
        let (zero, bits) = LITERALS[0];
        self.put(zero as u32, bits as u32);
        n -= 1;
        while n >= 258 {
            let (code, bits) = COPIES[258];
            self.put(code, bits as u32);
            n -= 258;
        }
        if n >= 3 {
            let (code, bits) = COPIES[n];
            self.put(code, bits as u32);
        } else {
            for _ in 0..n {
                self.put(zero as u32, bits as u32);
            }
        }
    }

    /// The last run, the end of the block, the bits to a whole byte and
    /// the checksum (big-endian, as zlib has it).
    fn finish(mut self) -> Vec<u8> {
        if self.zeros > 0 {
            self.run();
        }
        let (end, bits) = END_OF_BLOCK;
        self.put(end as u32, bits as u32);
        let whole = self.nbits.div_ceil(8) as usize;
        let tail = self.bits.to_le_bytes();
        self.out.extend_from_slice(&tail[..whole]);
        self.out.extend_from_slice(&self.adler.finish().to_be_bytes());
        self.out
    }
}

/// `code`'s `n` bits in reverse order: Huffman codes are defined from
/// their first bit, and deflate writes that bit first, in the lowest
/// place.
const fn reversed(code: u32, n: u32) -> u32 {
    code.reverse_bits() >> (32 - n)
}

/// The fixed code of a literal/length symbol (RFC 1951, 3.2.6), reversed
/// for writing, and its length.
const fn fixed(symbol: u32) -> (u16, u8) {
    let (code, n) = match symbol {
        0..=143 => (0x30 + symbol, 8),
        144..=255 => (0x190 + symbol - 144, 9),
        256..=279 => (symbol - 256, 7),
        _ => (0xc0 + symbol - 280, 8),
    };
    (reversed(code, n) as u16, n as u8)
}

/// Each byte's literal code.
const LITERALS: [(u16, u8); 256] = {
    let mut t = [(0, 0); 256];
    let mut b = 0;
    while b < 256 {
        t[b] = fixed(b as u32);
        b += 1;
    }
    t
};

const END_OF_BLOCK: (u16, u8) = fixed(256);

/// For each length 3 to 258 (the index), the bits that copy that many
/// bytes from distance 1: the length's symbol, its extra bits, and the
/// distance's code (symbol 0, five bits of zeros in the fixed code).
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
        let (code, n) = fixed(257 + s as u32);
        let extra = len as u32 - BASES[s];
        let bits = code as u32 | extra << n;
        t[len] = (bits, n + EXTRA[s] as u8 + 5);
        len += 1;
    }
    t
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
}
