// Measures a story page and the map page as a phone, a tablet and a desktop
// show them (375, 768 and 1280 px wide; light and dark): where the boxes of
// the story's compact journey map are against the viewport, whether the page
// scrolls sideways, and the on-screen size of every visible map label (font
// size times the SVG's scale), and labels that run out of their boxes. Takes screenshots, runs axe-core on the map
// page's narrow form at 375 px. Prints one JSON report; tests/phone_map.rs
// judges it.
// Usage: node phone.mjs BASE_URL SCREENSHOT_DIR STORY_PATH MAP_PATH
import { launch, axe } from './chromium.mjs';
import path from 'node:path';

const [base, shots, storyPath, mapPath] = process.argv.slice(2);
const WIDTHS = [[375, 812], [768, 1024], [1280, 800]];

const browser = await launch();

// What the page shows of its maps, measured in the page.
function measure() {
  const vw = window.innerWidth;
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility();
  };
  // A label's size on screen: its computed font size scaled by its SVG's
  // user-space-to-screen matrix (a viewBox shrunk to fit scales its text).
  const labels = [];
  for (const svg of document.querySelectorAll('svg.sp-map, svg.sp-compact')) {
    if (!visible(svg)) continue;
    const m = svg.getScreenCTM();
    const scale = m ? Math.hypot(m.a, m.b) : 1;
    for (const t of svg.querySelectorAll('text')) {
      if (!visible(t) || !t.textContent.trim()) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      labels.push({ text: t.textContent, px: Math.round(px * 100) / 100, map: svg.classList.contains('sp-map') ? 'full' : 'compact' });
    }
  }
  const steps = [...document.querySelectorAll('svg.sp-compact .spc-step')].map((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });
  const all = steps.length ? {
    left: Math.min(...steps.map((s) => s.left)), right: Math.max(...steps.map((s) => s.right)),
    top: Math.min(...steps.map((s) => s.top)), bottom: Math.max(...steps.map((s) => s.bottom)),
  } : null;
  // Labels that run out of their box (a role's box, or a chip's).
  const overflows = [];
  for (const a of document.querySelectorAll('svg.sp-compact .spc-node, svg.sp-compact .spc-chip')) {
    const box = a.querySelector('rect.spc-box');
    if (!box || !visible(box)) continue;
    const b = box.getBoundingClientRect();
    for (const t of a.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.left < b.left || r.right > b.right - 1) overflows.push(`${t.textContent}: ${Math.round(r.right - b.right + 1)} px`);
    }
  }
  const wide = document.querySelector('svg.sp-map');
  return {
    viewport: vw,
    scroll_width: document.documentElement.scrollWidth,
    steps: steps.length,
    journey_box: all,
    labels: labels.length,
    min_label_px: labels.length ? Math.min(...labels.map((l) => l.px)) : null,
    small_labels: labels.filter((l) => l.px < 12).slice(0, 10),
    overflows: overflows.slice(0, 10),
    full_map_visible: wide ? visible(wide) : false,
    compact_maps_visible: [...document.querySelectorAll('svg.sp-compact')].filter(visible).length,
  };
}

const report = {};
try {
  for (const [name, rel] of [['story', storyPath], ['map', mapPath]]) {
    report[name] = {};
    for (const [w, h] of WIDTHS) {
      for (const scheme of ['light', 'dark']) {
        const ctx = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme });
        const page = await ctx.newPage();
        const resp = await page.goto(base + rel, { waitUntil: 'load' });
        const r = await page.evaluate(measure);
        r.status = resp.status();
        if (w === 375 && scheme === 'light') r.axe = await axe(page);
        if (w === 375) {
          // What a phone shows from the first compact map on, a screen at a
          // time (a full-page shot of the map page is too tall to look at).
          const first = await page.$('svg.sp-compact');
          for (let k = 0; first && k < (name === 'map' ? 3 : 1); k++) {
            if (k === 0) await first.evaluate((el) => el.scrollIntoView());
            else await page.evaluate((dy) => window.scrollBy(0, dy), h - 60);
            await page.screenshot({ path: path.join(shots, `${name}-journey-375-${scheme}-${k}.png`) });
          }
        }
        await page.screenshot({ path: path.join(shots, `${name}-${w}-${scheme}.png`), fullPage: true });
        report[name][`${w}-${scheme}`] = r;
        await ctx.close();
      }
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 1));
