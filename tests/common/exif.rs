//! Phone-like JPEGs for tests and the benchmark: pixels encoded with an
//! EXIF block as a phone writes one (camera make and model, orientation,
//! the GPS position of the office), so the image pipeline's orientation
//! and metadata strip can be checked against a real EXIF reader.

/// An EXIF APP1 payload (`Exif\0\0` + little-endian TIFF) with Make, Model,
/// Orientation and a GPS IFD (latitude and longitude in degrees; negative
/// is south or west).
pub fn app1(orientation: u16, lat: f64, lon: f64) -> Vec<u8> {
    // IFD0: 4 entries; GPS IFD: 4 entries. Offsets are from the TIFF start.
    let make = b"StoryPhone\0";
    let model = b"SP-12 Pro\0";
    let ifd0_at = 8u32;
    let ifd0_len = 2 + 4 * 12 + 4;
    let gps_at = ifd0_at + ifd0_len;
    let gps_len = 2 + 4 * 12 + 4;
    let data_at = gps_at + gps_len;
    let make_at = data_at;
    let model_at = make_at + make.len() as u32;
    let lat_at = model_at + model.len() as u32;
    let lon_at = lat_at + 24;

    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(ifd0_at.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value);
    };
    // IFD0, tags in ascending order.
    t.extend(4u16.to_le_bytes());
    entry(&mut t, 0x010f, 2, make.len() as u32, make_at.to_le_bytes());
    entry(&mut t, 0x0110, 2, model.len() as u32, model_at.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, gps_at.to_le_bytes());
    t.extend(0u32.to_le_bytes());
    // GPS IFD.
    t.extend(4u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, [if lat >= 0.0 { b'N' } else { b'S' }, 0, 0, 0]);
    entry(&mut t, 0x0002, 5, 3, lat_at.to_le_bytes());
    entry(&mut t, 0x0003, 2, 2, [if lon >= 0.0 { b'E' } else { b'W' }, 0, 0, 0]);
    entry(&mut t, 0x0004, 5, 3, lon_at.to_le_bytes());
    t.extend(0u32.to_le_bytes());
    assert_eq!(t.len() as u32, data_at);
    t.extend(make);
    t.extend(model);
    for deg in [lat.abs(), lon.abs()] {
        let d = deg.floor();
        let m = ((deg - d) * 60.0).floor();
        let s = ((deg - d) * 60.0 - m) * 60.0;
        for (num, den) in [(d as u32, 1u32), (m as u32, 1), ((s * 100.0).round() as u32, 100)] {
            t.extend(num.to_le_bytes());
            t.extend(den.to_le_bytes());
        }
    }
    let mut out = b"Exif\0\0".to_vec();
    out.extend(t);
    out
}

/// A `w`×`h` JPEG of `rgb` pixels carrying [`app1`].
pub fn jpeg(rgb: &[u8], w: u16, h: u16, orientation: u16) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 85);
    enc.add_app_segment(1, &app1(orientation, 43.6532, -79.3832)).expect("an APP1 segment");
    enc.encode(rgb, w, h, jpeg_encoder::ColorType::Rgb).expect("encodes");
    out
}
