//! The compact map: one column of role boxes, for a phone.
//!
//! The full map is a grid as wide as the ladder (tracks side by side), so
//! on a 375 px phone it either scrolls sideways or shrinks its labels below
//! legibility. A journey, or one track, is a sequence, and a sequence reads
//! top to bottom: this draws one as a vertical column 320 px wide (a phone's
//! content column is about 340 px), with text of at least 12 px, so it fits
//! without scaling and stays legible.
//!
//! Two uses, one drawing ([`column`]):
//! - [`journey`]: a story's path, the latest role at the top (as career
//!   sites list experience), the moves between its steps drawn as arrows in
//!   the highlight colour, and in each role's box the other moves the
//!   ladder lists from it, as faded dashed chips linking to those roles
//!   ("where it could also have led");
//! - [`track`]: one track of the ladder, its roles by level (highest at the
//!   top), the ladder's moves up the track as arrows and every other move
//!   out of each role as chips: the `/map/` page's narrow-screen form.
//!
//! Same visual language as the full map (`svg.rs`): a box per role with its
//! track's colour as a bar and outline, outside jobs as rounded dashed boxes,
//! the ladder's other moves dotted and grey, role boxes focusable links.
//! Pure data in, SVG string out; every text escaped; deterministic.

use super::{MapInput, MapRole};
use crate::load::story::Place;
use crate::text::escape_xml as esc;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The drawing's width in CSS pixels. It is drawn at this size (and only
/// scales down with `max-width: 100%` below it), so its text sizes are its
/// sizes on screen: under a 341 px content column it never scales.
pub const WIDTH: f64 = 320.0;
/// Font sizes: role titles, the line under them, chips. The smallest is
/// 12 px, the floor for legible labels on a phone.
pub const TITLE_PX: f64 = 14.0;
pub const META_PX: f64 = 12.0;
pub const CHIP_PX: f64 = 12.0;
/// Room around the boxes for the journey's outline (3 px).
const MARGIN: f64 = 7.0;
const BOX_X: f64 = MARGIN;
const BOX_W: f64 = WIDTH - 2.0 * MARGIN;
/// Text inside a box starts after the track's colour bar.
const TEXT_X: f64 = BOX_X + 16.0;
const TEXT_W: f64 = BOX_W - 16.0 - 10.0;
const PAD_Y: f64 = 9.0;
const TITLE_LINE: f64 = 18.0;
const META_LINE: f64 = 16.0;
/// The arrows between boxes run up this line.
const SPINE_X: f64 = BOX_X + 18.0;
/// Chips are 24 px tall, the least target size of WCAG 2.2 (2.5.8).
const CHIP_H: f64 = 24.0;
const CHIP_GAP: f64 = 6.0;
const CHIP_PAD: f64 = 9.0;
/// The vertical room between two boxes, for the arrow between them.
const GAP: f64 = 28.0;
const MAX_TITLE_LINES: usize = 3;
const MAX_META_LINES: usize = 2;
/// The full map's grey for outside jobs.
const OUTSIDE: &str = "#6b7280";

/// Scoped to `svg.sp-compact`: an inline SVG's `<style>` applies to the
/// whole page, which may also carry the full map.
const STYLE: &str = "\
svg.sp-compact{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\
.sp-compact text{font-size:14px;font-weight:600;fill:#111827}\
.sp-compact .spc-outside text{font-weight:400;font-style:italic;fill:#374151}\
.sp-compact text.spc-meta{font-size:12px;font-weight:400;font-style:normal;fill:#4b5563}\
.sp-compact .spc-chip text{font-size:12px;font-weight:400;fill:#374151}\
.sp-compact .spc-box{fill:#fff;stroke-width:2}\
.sp-compact .spc-chip rect{fill:#fff;stroke-width:1.5;stroke-dasharray:4 3}\
.sp-compact text.spc-also{font-style:italic}\
.sp-compact a:hover rect.spc-box,.sp-compact a:focus rect.spc-box,.sp-compact a.spc-chip:hover rect,.sp-compact a.spc-chip:focus rect{fill:#f3f4f6}\
.sp-compact a:focus{outline:none}\
.sp-compact a:focus rect.spc-box,.sp-compact a.spc-chip:focus rect{stroke:#111827;stroke-width:3.5;stroke-dasharray:none}\
@media (prefers-color-scheme:dark){\
.sp-compact rect.spc-bg{fill:#111827}\
.sp-compact text{fill:#e5e7eb}\
.sp-compact .spc-outside text,.sp-compact .spc-chip text{fill:#cbd5e1}\
.sp-compact text.spc-meta{fill:#a3acb9}\
.sp-compact .spc-box,.sp-compact .spc-chip rect{fill:#1e293b}\
.sp-compact a:hover rect.spc-box,.sp-compact a:focus rect.spc-box,.sp-compact a.spc-chip:hover rect,.sp-compact a.spc-chip:focus rect{fill:#334155}\
.sp-compact a:focus rect.spc-box,.sp-compact a.spc-chip:focus rect,.sp-compact rect.spc-held{stroke:#f9fafb}\
}";

/// What a compact map is called and how it is drawn.
#[derive(Debug, Clone, Default)]
pub struct CompactOptions {
    /// Prefix for element ids, unique per page.
    pub id: String,
    /// Accessible name (`<title>`, referenced by `aria-labelledby`).
    pub title: String,
    /// Accessible description; [`journey`] appends the path in words.
    pub description: String,
    /// The colour of the moves between boxes: a journey's highlight colour
    /// (empty: the full map's first, `svg::HIGHLIGHT_COLORS[0]`), or a
    /// track's (empty: the track's own colour).
    pub color: String,
    /// Leave out the `<style>`: a page with several compact maps carries it
    /// once (an inline SVG's style applies to the whole page).
    pub omit_style: bool,
}

/// One box of the column, top to bottom.
struct Entry<'a> {
    place: Place,
    /// The role when the place is a role of the ladder.
    role: Option<&'a MapRole>,
    /// The line under the title, in parts (track and level, years), which
    /// wrap between parts before inside one.
    meta: Vec<String>,
    /// Other moves from here, drawn as chips above the box.
    chips: Vec<&'a MapRole>,
    /// An arrow from the box below up into this one.
    arrow_from_below: bool,
    /// Outlined in the highlight colour (a journey's step).
    highlighted: bool,
}

/// The ladder's lookups: roles by id, track names and colours by id.
struct Ladder<'a> {
    roles: BTreeMap<&'a str, &'a MapRole>,
    tracks: BTreeMap<&'a str, (&'a str, &'a str)>,
    words: &'a crate::i18n::Words,
}

impl<'a> Ladder<'a> {
    fn new(input: &'a MapInput) -> Self {
        Ladder {
            roles: input.roles.iter().map(|r| (r.id.as_str(), r)).collect(),
            tracks: input.tracks.iter().map(|t| (t.id.as_str(), (t.name.as_str(), t.color.as_str()))).collect(),
            words: &input.words,
        }
    }

    fn track_name(&self, r: &MapRole) -> &'a str {
        self.tracks.get(r.track.as_str()).map_or("", |t| t.0)
    }

    fn color(&self, r: Option<&MapRole>) -> &'a str {
        r.and_then(|r| self.tracks.get(r.track.as_str())).map_or(OUTSIDE, |t| t.1)
    }

    /// The roles `r` lists as next moves, in the ladder's order, but `except`.
    fn next_of(&self, r: &MapRole, except: Option<&str>) -> Vec<&'a MapRole> {
        let mut seen = std::collections::BTreeSet::new();
        r.next
            .iter()
            .filter(|n| Some(n.as_str()) != except && n.as_str() != r.id && seen.insert(n.as_str()))
            .filter_map(|n| self.roles.get(n.as_str()).copied())
            .collect()
    }
}

/// A story's journey (`steps` oldest first, `years` beside them as shown
/// on the page, e.g. "2016–2018"; missing years are left out), latest at
/// the top.
pub fn journey(input: &MapInput, steps: &[Place], years: &[String], opts: &CompactOptions) -> String {
    let ladder = Ladder::new(input);
    let mut entries: Vec<Entry> = Vec::with_capacity(steps.len());
    for (i, place) in steps.iter().enumerate() {
        let role = match place {
            Place::Role(id) => ladder.roles.get(id.as_str()).copied(),
            Place::Outside(_) => None,
        };
        let taken = match steps.get(i + 1) {
            Some(Place::Role(id)) => Some(id.as_str()),
            _ => None,
        };
        let mut meta: Vec<String> = match (place, role) {
            (Place::Outside(_), _) => vec![ladder.words.t("map.outside").into()],
            (_, Some(r)) => {
                vec![ladder.words.tn("map.track_level", u64::from(r.level), &[("track", ladder.track_name(r))])]
            }
            (_, None) => Vec::new(),
        };
        meta.extend(years.get(i).filter(|y| !y.is_empty()).cloned());
        meta.extend(role.and_then(|r| hiring_text(input, r)));
        entries.push(Entry {
            place: place.clone(),
            role,
            meta,
            chips: role.map(|r| ladder.next_of(r, taken)).unwrap_or_default(),
            arrow_from_below: i > 0,
            highlighted: true,
        });
    }
    entries.reverse();
    let words: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let name = place_name(&ladder, p);
            match years.get(i).filter(|y| !y.is_empty()) {
                Some(y) => ladder.words.tf("map.step_years", &[("name", &name), ("years", y)]),
                None => name,
            }
        })
        .collect();
    let description = ladder.words.tf(
        "map.journey_description",
        &[("intro", &opts.description), ("steps", &words.join(ladder.words.t("map.then")))],
    );
    let color = if opts.color.is_empty() { super::svg::HIGHLIGHT_COLORS[0] } else { opts.color.as_str() };
    column(&ladder, &entries, opts, color, description.trim_start())
}

/// "Hiring: 3 open positions" for a role with openings (see `MapInput::hiring`).
fn hiring_text(input: &MapInput, r: &MapRole) -> Option<String> {
    input.hiring.get(&r.id).map(|h| h.text.clone())
}

/// One track's roles by level, highest at the top, for the narrow form of
/// the map page: the ladder's move from each role to the one above it as
/// an arrow, every other move out of it (up, across, to other tracks) as
/// chips. Empty when the track has no roles.
pub fn track(input: &MapInput, track_id: &str, opts: &CompactOptions) -> String {
    let ladder = Ladder::new(input);
    let mut roles: Vec<&MapRole> = input.roles.iter().filter(|r| r.track == track_id).collect();
    if roles.is_empty() {
        return String::new();
    }
    // Highest level first; within a level, the ladder's order.
    roles.sort_by_key(|r| std::cmp::Reverse(r.level));
    // The ladder's move from a role to the one drawn above it is the arrow
    // into that one; its other moves are chips.
    let up = |k: usize| k.checked_sub(1).map(|a| roles[a].id.as_str()).filter(|a| roles[k].next.iter().any(|n| n == a));
    let entries: Vec<Entry> = (0..roles.len())
        .map(|k| Entry {
            place: Place::Role(roles[k].id.clone()),
            role: Some(roles[k]),
            meta: std::iter::once(input.words.tn("map.level", u64::from(roles[k].level), &[]))
                .chain(hiring_text(input, roles[k]))
                .collect(),
            chips: ladder.next_of(roles[k], up(k)),
            arrow_from_below: k + 1 < roles.len() && up(k + 1).is_some(),
            highlighted: false,
        })
        .collect();
    let color = if opts.color.is_empty() { ladder.color(roles.first().copied()) } else { opts.color.as_str() };
    column(&ladder, &entries, opts, color, &opts.description)
}

fn place_name(ladder: &Ladder, p: &Place) -> String {
    match p {
        Place::Role(id) => ladder.roles.get(id.as_str()).map_or_else(|| id.clone(), |r| r.title.clone()),
        Place::Outside(t) => t.clone(),
    }
}

/// Draws the entries top to bottom, each a box with its other moves as
/// chips inside it (below its title), and arrows up the spine from each
/// box into the one above it.
fn column(ladder: &Ladder, entries: &[Entry], opts: &CompactOptions, arrow_color: &str, description: &str) -> String {
    let id = if opts.id.is_empty() { "compact-map" } else { opts.id.as_str() };
    let marker = format!("{id}-arrow");
    let mut body = String::new();
    let mut y = MARGIN;
    // Where each box is (top, bottom), to draw the arrows after.
    let mut boxes: Vec<(f64, f64)> = Vec::with_capacity(entries.len());
    for (k, e) in entries.iter().enumerate() {
        if k > 0 {
            y += GAP;
        }
        let h = entry_box(&mut body, ladder, e, y, arrow_color);
        boxes.push((y, y + h));
        y += h;
    }
    let height = (y + MARGIN).ceil();
    let mut arrows = String::new();
    for k in 0..entries.len().saturating_sub(1) {
        if entries[k].arrow_from_below {
            let (upper_bottom, lower_top) = (boxes[k].1, boxes[k + 1].0);
            let outline = if entries[k].highlighted { 3.0 } else { 0.0 };
            let _ = write!(
                arrows,
                r#"<path d="M{SPINE_X:.0} {:.0}V{:.0}" stroke="{c}" stroke-width="3.5" stroke-linecap="round" fill="none" marker-end="url(#{marker})"/>"#,
                lower_top - outline,
                upper_bottom + outline + 2.0,
                c = esc(arrow_color),
            );
        }
    }
    let mut s = String::with_capacity(body.len() + arrows.len() + STYLE.len() + 1024);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="sp-compact" viewBox="0 0 {w:.0} {height:.0}" width="{w:.0}" height="{height:.0}" aria-labelledby="{id}-title"{described}><title id="{id}-title">{t}</title>{desc}{style}<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{c}"/></marker></defs><rect class="spc-bg" width="{w:.0}" height="{height:.0}" rx="12" fill="#fff"/>"##,
        w = WIDTH,
        id = esc(id),
        marker = esc(&marker),
        t = esc(&opts.title),
        // Without a description (the page says what the map shows), no `<desc>`.
        described =
            if description.is_empty() { String::new() } else { format!(r#" aria-describedby="{}-desc""#, esc(id)) },
        desc = if description.is_empty() {
            String::new()
        } else {
            format!(r#"<desc id="{}-desc">{}</desc>"#, esc(id), esc(description))
        },
        c = esc(arrow_color),
        style = if opts.omit_style { String::new() } else { format!("<style>{STYLE}</style>") },
    );
    s.push_str(&body);
    s.push_str(&arrows);
    s.push_str("</svg>");
    s
}

/// Chips laid out in rows after a lead-in label: (x, row, width, label) each.
struct ChipRows {
    chips: Vec<(f64, usize, f64, String)>,
    rows: usize,
}

/// Flows `roles` as chips from after `label` (the words' `map.also_leads_to`)
/// on the first row, left to right and onto new rows at the text's left edge.
fn chip_rows(roles: &[&MapRole], label: &str) -> ChipRows {
    let right = TEXT_X + TEXT_W;
    let first = TEXT_X + text_width(label, CHIP_PX, false) + CHIP_GAP;
    let (mut x, mut row) = (first, 0usize);
    let mut chips = Vec::with_capacity(roles.len());
    for r in roles {
        let label = wrap(&r.title, CHIP_PX, false, TEXT_W - 2.0 * CHIP_PAD, 1).pop().unwrap_or_default();
        let w = (text_width(&label, CHIP_PX, false) + 2.0 * CHIP_PAD).ceil().min(TEXT_W);
        if x > TEXT_X && x + w > right {
            x = TEXT_X;
            row += 1;
        }
        chips.push((x, row, w, label));
        x += w + CHIP_GAP;
    }
    ChipRows { rows: if roles.is_empty() { 0 } else { row + 1 }, chips }
}

/// A role's or outside job's box at `y`, with its chips; returns its height.
fn entry_box(s: &mut String, ladder: &Ladder, e: &Entry, y: f64, highlight: &str) -> f64 {
    let outside = matches!(e.place, Place::Outside(_));
    let name = place_name(ladder, &e.place);
    let title = wrap(&name, TITLE_PX, true, TEXT_W, MAX_TITLE_LINES);
    let meta = wrap_parts(&e.meta, META_PX, TEXT_W, MAX_META_LINES);
    let also = ladder.words.t("map.also_leads_to");
    let chips = chip_rows(&e.chips, also);
    let chips_y = y + PAD_Y + title.len() as f64 * TITLE_LINE + meta.len() as f64 * META_LINE + 6.0;
    let chips_h = if chips.rows == 0 { 0.0 } else { 6.0 + chips.rows as f64 * (CHIP_H + CHIP_GAP) - CHIP_GAP };
    let h = PAD_Y * 2.0 + title.len() as f64 * TITLE_LINE + meta.len() as f64 * META_LINE + chips_h;
    let mut text = String::new();
    let mut ty = y + PAD_Y + TITLE_PX;
    for line in &title {
        let _ = write!(text, r#"<text x="{TEXT_X:.0}" y="{ty:.0}">{}</text>"#, esc(line));
        ty += TITLE_LINE;
    }
    ty += META_LINE - TITLE_LINE + 1.0;
    for line in &meta {
        let _ = write!(text, r#"<text class="spc-meta" x="{TEXT_X:.0}" y="{ty:.0}">{}</text>"#, esc(line));
        ty += META_LINE;
    }
    let color = ladder.color(e.role);
    let label = if e.meta.is_empty() { name } else { format!("{name}: {}", e.meta.join(" · ")) };
    // A journey's step is one group (the test of issue 15 measures them);
    // a track's boxes need none.
    if e.highlighted {
        s.push_str(r#"<g class="spc-step">"#);
    }
    match (&e.place, e.role) {
        (Place::Role(_), Some(r)) => {
            let _ = write!(
                s,
                r#"<a class="spc-node" href="{href}"><rect class="spc-box" x="{BOX_X:.0}" y="{y:.0}" width="{BOX_W:.0}" height="{h:.0}" rx="8" stroke="{color}"/><rect x="{BOX_X:.0}" y="{y:.0}" width="7" height="{h:.0}" rx="3" fill="{color}"/>{text}</a>"#,
                href = esc(&r.href),
                color = esc(color),
            );
        }
        _ => {
            // An outside job, or a role the ladder does not have (validation
            // reports it; the drawing still shows the step, unlinked).
            let (rx, dash, class) =
                if outside { (22, r#" stroke-dasharray="5 3""#, " spc-outside") } else { (8, "", "") };
            let _ = write!(
                s,
                r#"<g class="spc-node{class}"><title>{label}</title><rect class="spc-box" x="{BOX_X:.0}" y="{y:.0}" width="{BOX_W:.0}" height="{h:.0}" rx="{rx}" stroke="{OUTSIDE}"{dash}/>{text}</g>"#,
                label = esc(&label),
            );
        }
    }
    if e.highlighted {
        let _ = write!(
            s,
            r#"<rect class="spc-held" x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}" rx="{}" fill="none" stroke="{}" stroke-width="1.5" pointer-events="none"/>"#,
            BOX_X - 3.0,
            y - 3.0,
            BOX_W + 6.0,
            h + 6.0,
            if outside { 23 } else { 11 },
            esc(highlight),
        );
    }
    if chips.rows > 0 {
        let _ = write!(
            s,
            r#"<text class="spc-meta spc-also" x="{TEXT_X:.0}" y="{:.0}">{}</text>"#,
            chips_y + CHIP_H / 2.0 + CHIP_PX * 0.35,
            esc(also)
        );
    }
    // Drawn after (over) the role's link, never inside it: links do not nest.
    for (r, (x, row, w, text)) in e.chips.iter().zip(&chips.chips) {
        let cy = chips_y + *row as f64 * (CHIP_H + CHIP_GAP);
        // Named by its text; a cut title gets its whole self as a tooltip.
        let title = if *text == r.title { String::new() } else { format!("<title>{}</title>", esc(&r.title)) };
        let _ = write!(
            s,
            r#"<a class="spc-chip" href="{href}">{title}<rect x="{x:.0}" y="{cy:.0}" width="{w:.0}" height="{CHIP_H:.0}" rx="12" stroke="{c}"/><text x="{tx:.0}" y="{ty:.0}">{l}</text></a>"#,
            href = esc(&r.href),
            c = esc(ladder.color(Some(r))),
            tx = x + CHIP_PAD,
            ty = cy + CHIP_H / 2.0 + CHIP_PX * 0.35,
            l = esc(text),
        );
    }
    if e.highlighted {
        s.push_str("</g>");
    }
    h
}

/// The advance of `text` at `px`, estimated per character class from DejaVu
/// Sans (what `system-ui` is on most Linux desktops, and wider than the
/// system fonts of phones), erring wide: a label guessed too short would
/// overflow its box, one guessed too long only wraps early.
pub fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    let em: f64 = text.chars().map(char_em).sum();
    em * px * if bold { 1.1 } else { 1.0 }
}

/// The advance of `c` in ems (see [`text_width`]).
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'l' | 'j' | 'I' | 'J' | '\'' | '|' => 0.3,
        '.' | ',' | ':' | ';' | '!' | ' ' | '·' => 0.34,
        'f' | 't' | 'r' | '(' | ')' | '-' | '[' | ']' | '/' => 0.41,
        'c' | 's' | 'z' | '–' => 0.56,
        'm' => 0.98,
        'w' => 0.83,
        'M' | 'W' | '@' | '%' | '…' | '—' => 1.0,
        c if c.is_ascii_uppercase() => 0.73,
        c if c.is_ascii() => 0.63,
        c if c.is_alphabetic() && (c as u32) < 0x2e80 => 0.72,
        // CJK and the like run about one em wide.
        _ => 1.0,
    }
}

/// Joins `parts` with " · " into lines no wider than `max_w`, breaking
/// between parts ("Workforce management · level 2" / "2016–2018") and
/// inside a part only when it is too wide alone.
fn wrap_parts(parts: &[String], px: f64, max_w: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in parts.iter().filter(|p| !p.trim().is_empty()) {
        if let Some(last) = out.last_mut() {
            let joined = format!("{last} · {part}");
            if text_width(&joined, px, false) <= max_w {
                *last = joined;
                continue;
            }
        }
        out.extend(wrap(part, px, false, max_w, lines));
    }
    if lines > 0 && out.len() > lines {
        let rest = out.split_off(lines - 1).join(" ");
        out.extend(wrap(&rest, px, false, max_w, 1));
    }
    out
}

/// Wraps `text` into lines no wider than `max_w` at `px`, at most `lines`
/// lines; what does not fit ends in an ellipsis. A word wider than a line
/// is cut.
pub fn wrap(text: &str, px: f64, bold: bool, max_w: f64, lines: usize) -> Vec<String> {
    let fits = |s: &str| text_width(s, px, bold) <= max_w;
    let cut = |s: &str| {
        let mut t: String = s.to_string();
        while !t.is_empty() && !fits(&format!("{t}…")) {
            t.pop();
        }
        format!("{}…", t.trim_end())
    };
    let width = |em: f64| em * px * if bold { 1.1 } else { 1.0 };
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    // The ems of `cur`, summed character by character as `text_width`
    // sums them, so a line is measured once, not again for every word
    // added to it (the same floating-point sums, so the same breaks).
    let mut cur_em = 0.0;
    for word in text.split_whitespace() {
        if !cur.is_empty() {
            let joined = word.chars().fold(cur_em + char_em(' '), |em, c| em + char_em(c));
            if width(joined) <= max_w {
                cur.push(' ');
                cur.push_str(word);
                cur_em = joined;
                continue;
            }
            out.push(std::mem::take(&mut cur));
        }
        let em: f64 = word.chars().map(char_em).sum();
        if width(em) <= max_w {
            cur = word.to_string();
            cur_em = em;
        } else {
            cur = cut(word);
            cur_em = cur.chars().map(char_em).sum();
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    if out.len() > lines && lines > 0 {
        out.truncate(lines);
        let last = out.pop().unwrap_or_default();
        // The ellipsis says more followed, even when the last line had room.
        out.push(if fits(&format!("{last}…")) { format!("{last}…") } else { cut(&last) });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{MapInput, MapRole, MapTrack};
    use super::*;

    fn role(id: &str, title: &str, track: &str, level: u32, next: &[&str]) -> MapRole {
        MapRole {
            id: id.into(),
            title: title.into(),
            track: track.into(),
            level,
            href: format!("/careers/roles/{id}/"),
            next: next.iter().map(|n| n.to_string()).collect(),
        }
    }

    fn input() -> MapInput {
        MapInput {
            tracks: vec![
                MapTrack { id: "care".into(), name: "Customer care".into(), color: "#1d4ed8".into() },
                MapTrack { id: "wfm".into(), name: "Workforce management".into(), color: "#7c3aed".into() },
            ],
            roles: vec![
                role("agent", "Customer Care Representative", "care", 1, &["senior", "scheduler", "lead"]),
                role("senior", "Senior Customer Care Representative", "care", 2, &["lead"]),
                role("lead", "Team Lead", "care", 3, &[]),
                role("scheduler", "Scheduler", "wfm", 2, &["analyst"]),
                role("analyst", "Workforce Planning Analyst", "wfm", 3, &["lead"]),
            ],
            journeys: Vec::new(),
            names: Vec::new(),
            hiring: Default::default(),
            words: Default::default(),
        }
    }

    fn steps() -> Vec<Place> {
        vec![Place::Outside("Barista".into()), Place::Role("agent".into()), Place::Role("scheduler".into())]
    }

    fn opts() -> CompactOptions {
        CompactOptions {
            id: "story-ana".into(),
            title: "Ana's journey".into(),
            description: "Ana's journey:".into(),
            color: "#c2410c".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_journey_is_a_column_latest_first_with_the_moves_next_to_it() {
        let years = ["2014–2016".to_string(), "2016–2019".into(), "since 2019".into()];
        let svg = journey(&input(), &steps(), &years, &opts());
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" class="sp-compact" viewBox="0 0 320 "#));
        assert!(svg.contains(r#"aria-labelledby="story-ana-title" aria-describedby="story-ana-desc""#));
        assert!(!svg.contains(" role="));
        // Three steps, outlined; the latest (Scheduler) first, the outside job last.
        assert_eq!(svg.matches("<g class=\"spc-step\">").count(), 3);
        let (sched, agent, barista) =
            (svg.find(">Scheduler</text>").unwrap(), svg.find(">Customer Care"), svg.find(">Barista</text>"));
        assert!(sched < agent.unwrap() && agent.unwrap() < barista.unwrap(), "{svg}");
        // The outside job is a rounded dashed box, not a link.
        assert!(
            svg.contains(r#"<g class="spc-node spc-outside"><title>Barista: Outside the ladder · 2014–2016</title>"#)
        );
        // Two moves between the three steps, in the highlight colour.
        assert_eq!(svg.matches(r##"stroke="#c2410c" stroke-width="3.5""##).count(), 2);
        // The other moves: from the agent, the two it did not take; from
        // the scheduler (the current role), its one.
        let chips: Vec<&str> = svg.split(r#"<a class="spc-chip" href=""#).skip(1).collect();
        assert_eq!(chips.len(), 3, "{chips:?}");
        assert!(chips[0].starts_with("/careers/roles/analyst/"));
        assert!(chips[1].starts_with("/careers/roles/senior/") && chips[2].starts_with("/careers/roles/lead/"));
        // Role boxes link to their pages; the years and level are shown.
        assert!(svg.contains(r#"<a class="spc-node" href="/careers/roles/scheduler/">"#));
        assert!(svg.contains(">Workforce management · level 2"));
        assert!(svg.contains("since 2019</text>"));
        assert!(svg.contains(
            "Barista (2014–2016), then Customer Care Representative (2016–2019), then Scheduler (since 2019)."
        ));
    }

    #[test]
    fn everything_shown_is_escaped_and_nothing_panics() {
        let mut inp = input();
        inp.roles[1].title = "<script>alert('x')</script> & co".into();
        inp.roles[0].href = "/r/?a=1&b=\"2\"".into();
        inp.tracks[0].color = "\"><script>".into();
        let steps = vec![
            Place::Outside("<b>Bold</b>".into()),
            Place::Role("agent".into()),
            Place::Role("no-such-role".into()),
            Place::Role("agent".into()),
        ];
        let o = CompactOptions { id: "a\"b".into(), title: "T <&>".into(), ..Default::default() };
        let svg = journey(&inp, &steps, &[], &o);
        assert!(!svg.contains("<script>") && !svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;") && svg.contains("a=1&amp;b=&quot;2&quot;"));
        assert!(svg.contains("<title id=\"a&quot;b-title\">T &lt;&amp;&gt;</title>"));
        // Empty and odd inputs draw something valid.
        for steps in [vec![], vec![Place::Outside(String::new())], vec![Place::Role(String::new())]] {
            let svg = journey(&MapInput::default(), &steps, &vec!["x".to_string(); 9], &CompactOptions::default());
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        }
        assert_eq!(track(&MapInput::default(), "none", &CompactOptions::default()), "");
        let long = "Supercalifragilisticexpialidocious ".repeat(20);
        inp.roles[2].title = long.clone();
        let svg = journey(&inp, &[Place::Role("lead".into()), Place::Outside(long)], &[], &o);
        assert!(svg.contains("…"));
    }

    #[test]
    fn a_track_reads_by_level_highest_first() {
        let svg = track(&input(), "care", &CompactOptions { id: "track-care".into(), ..Default::default() });
        let (lead, senior, agent) =
            (svg.find(">Team Lead<"), svg.find(">Senior Customer Care"), svg.find(">Customer Care"));
        assert!(lead.unwrap() < senior.unwrap() && senior.unwrap() < agent.unwrap(), "{svg}");
        // Arrows up the track (agent -> senior -> lead) in its colour; no step outlines.
        assert!(svg.contains("<marker id=\"track-care-arrow\""));
        assert_eq!(svg.matches(r##"stroke="#1d4ed8" stroke-width="3.5""##).count(), 2);
        assert!(!svg.contains("spc-step"));
        // The agent's other moves: the scheduler and the lead, as chips.
        assert_eq!(svg.matches("<a class=\"spc-chip\"").count(), 2);
        assert!(svg.contains(r#"<a class="spc-chip" href="/careers/roles/scheduler/"><rect"#));
        assert_eq!(svg.matches("<a class=\"spc-node\"").count(), 3);
    }

    #[test]
    fn labels_fit_the_column_and_output_is_deterministic() {
        for (text, px, bold) in
            [("Senior Workforce Management Specialist", TITLE_PX, true), ("MMMM WWWW mmmm", 12.0, false)]
        {
            for line in wrap(text, px, bold, TEXT_W, 3) {
                assert!(text_width(&line, px, bold) <= TEXT_W, "{line}");
            }
        }
        assert_eq!(wrap("a b c d", 12.0, false, 20.0, 2).len(), 2);
        assert_eq!(wrap("", 12.0, false, 100.0, 2), Vec::<String>::new());
        let parts = ["Workforce management · level 2".to_string(), "2016–2018".into()];
        assert_eq!(wrap_parts(&parts, 12.0, 400.0, 2), ["Workforce management · level 2 · 2016–2018"]);
        assert_eq!(wrap_parts(&parts, 12.0, 250.0, 2), ["Workforce management · level 2", "2016–2018"]);
        assert_eq!(wrap_parts(&parts, 12.0, 60.0, 2).len(), 2);
        let years = ["1".to_string(), "2".into(), "3".into()];
        assert_eq!(journey(&input(), &steps(), &years, &opts()), journey(&input(), &steps(), &years, &opts()));
        // Every coordinate stays inside the drawing's width.
        let svg = journey(&input(), &steps(), &years, &opts());
        for cap in svg.split(" x=\"").skip(1) {
            let x: f64 = cap.split('"').next().unwrap().parse().unwrap();
            assert!((0.0..WIDTH).contains(&x), "{x}");
        }
        for cap in svg.split(" width=\"").skip(1) {
            let w: f64 = cap.split('"').next().unwrap().parse().unwrap();
            assert!(w <= WIDTH, "{w}");
        }
    }
}
