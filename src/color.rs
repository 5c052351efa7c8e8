//! Colour arithmetic shared by the theme's derived colours (`render::views`)
//! and the path map (`map::svg`): WCAG contrast, mixing a colour toward
//! black or white until it reads, and a perceptual distance, so every
//! "readable" or "distinct" colour is judged by one definition.

/// Red, green and blue.
pub type Rgb = [u8; 3];

/// The red, green and blue of a `#rrggbb` / `#rgb` colour (validated at
/// load; anything unreadable counts as 0, never a panic).
pub fn rgb(hex: &str) -> Rgb {
    let h = hex.trim_start_matches('#');
    let full: String = if h.len() == 3 { h.chars().flat_map(|c| [c, c]).collect() } else { h.to_string() };
    let ch = |i: usize| u8::from_str_radix(full.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    [ch(0), ch(2), ch(4)]
}

/// `#rrggbb`, lower case.
pub fn hex([r, g, b]: Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG relative luminance.
pub fn luminance([r, g, b]: Rgb) -> f64 {
    let lin = linear();
    0.2126 * lin[r as usize] + 0.7152 * lin[g as usize] + 0.0722 * lin[b as usize]
}

/// The sRGB channel values made linear, all 256 of them, computed once:
/// every page's journey map checks its track colours against its canvas
/// (thousands of contrasts a page), and `powf` was 4% of a build.
fn linear() -> &'static [f64; 256] {
    static TABLE: std::sync::OnceLock<[f64; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|i| {
            let c = i as f64 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        })
    })
}

/// WCAG contrast ratio of two luminances.
pub fn contrast_of(a: f64, b: f64) -> f64 {
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    contrast_of(luminance(a), luminance(b))
}

/// The lowest contrast of `c` against any of `backgrounds` (infinite when
/// there are none).
pub fn min_contrast(c: Rgb, backgrounds: &[Rgb]) -> f64 {
    backgrounds.iter().map(|&b| contrast(c, b)).fold(f64::INFINITY, f64::min)
}

/// `a` mixed with `b`: `k` = 0 is `a`, 1 is `b`.
pub fn mix(a: Rgb, b: Rgb, k: f64) -> Rgb {
    let m = |i: usize| (a[i] as f64 + (b[i] as f64 - a[i] as f64) * k).round().clamp(0.0, 255.0) as u8;
    [m(0), m(1), m(2)]
}

/// `c` mixed toward `toward` in `steps` equal steps, the first that has at
/// least `ratio` contrast with every one of `backgrounds`: the colour
/// changes no more than it must, so a brand colour stays recognisable.
/// `toward` itself when no step does.
pub fn with_contrast(c: Rgb, toward: Rgb, backgrounds: &[Rgb], ratio: f64, steps: u32) -> Rgb {
    let steps = steps.max(1);
    (0..=steps)
        .map(|s| mix(c, toward, s as f64 / steps as f64))
        .find(|&m| min_contrast(m, backgrounds) >= ratio)
        .unwrap_or(toward)
}

/// `c` made lighter, keeping its hue and saturation (HSL), by the smallest
/// step that gives at least `ratio` contrast with every one of
/// `backgrounds`; white when none does. Mixing with white instead washes
/// colours out toward the same pastel, and two lines of different hues
/// then look alike on a dark canvas.
pub fn lighten_to(c: Rgb, backgrounds: &[Rgb], ratio: f64) -> Rgb {
    let (h, s, l) = hsl(c);
    (0..=100)
        .map(|k| l + (1.0 - l) * k as f64 / 100.0)
        .map(|l| from_hsl(h, s, l))
        .find(|&m| min_contrast(m, backgrounds) >= ratio)
        .unwrap_or([255, 255, 255])
}

/// Hue (0–1), saturation and lightness of a colour.
fn hsl(c: Rgb) -> (f64, f64, f64) {
    let [r, g, b] = c.map(|v| v as f64 / 255.0);
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let l = (max + min) / 2.0;
    let d = max - min;
    if d <= f64::EPSILON {
        return (0.0, 0.0, l);
    }
    let s = d / (1.0 - (2.0 * l - 1.0).abs());
    let h = if max == r {
        ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    };
    (h / 6.0, s.clamp(0.0, 1.0), l)
}

fn from_hsl(h: f64, s: f64, l: f64) -> Rgb {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h * 6.0;
    let x = c * (1.0 - (hp.rem_euclid(2.0) - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    [r, g, b].map(|v| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8)
}

/// CIE L*a*b* (D65) of a colour.
fn lab(c: Rgb) -> [f64; 3] {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (lin(c[0]), lin(c[1]), lin(c[2]));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| if t > 0.008856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// How different two colours look (CIE76 ΔE: about 2.3 is just noticeable,
/// above 30 they read as different colours).
pub fn distance(a: Rgb, b: Rgb) -> f64 {
    let (a, b) = (lab(a), lab(b));
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast(rgb("#777"), rgb("#fff")) - 4.48).abs() < 0.01);
        assert_eq!(hex(rgb("#ABC")), "#aabbcc");
        assert_eq!(rgb("nonsense"), [0, 0, 0], "never a panic");
    }

    #[test]
    fn mixing_stops_at_the_first_readable_step() {
        let white = [255, 255, 255];
        assert_eq!(with_contrast(rgb("#1d4ed8"), [0, 0, 0], &[white], 3.0, 20), rgb("#1d4ed8"));
        let pale = with_contrast(rgb("#fde68a"), [0, 0, 0], &[white], 3.0, 20);
        assert!(min_contrast(pale, &[white]) >= 3.0);
        assert_eq!(with_contrast(white, white, &[white], 3.0, 4), white, "no step reaches it: `toward`");
        assert!(distance(rgb("#1d4ed8"), rgb("#be123c")) > 30.0);
        assert!(distance(rgb("#1d4ed8"), rgb("#1e4fd9")) < 2.3);
        for c in ["#1d4ed8", "#831843", "#14532d", "#777777", "#000000"] {
            assert_eq!(from_hsl(hsl(rgb(c)).0, hsl(rgb(c)).1, hsl(rgb(c)).2), rgb(c), "HSL round trip of {c}");
        }
        let dark = [0x11, 0x18, 0x27];
        let pink = lighten_to(rgb("#831843"), &[dark], 4.5);
        assert!(min_contrast(pink, &[dark]) >= 4.5);
        assert!(hsl(pink).1 > 0.5, "still a saturated pink: {}", hex(pink));
    }
}
