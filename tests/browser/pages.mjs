// Checks built pages in Debian's headless Chromium, as a candidate's browser
// shows them: axe-core (WCAG 2.2 AA) in light and dark mode, no sideways
// scrolling at 375 px but inside the map's own scroll box, no map label on
// top of another, screenshots, and the search box with and without
// JavaScript. Prints one JSON report on stdout; the Rust test judges it.
// Usage: node pages.mjs BASE_URL SCREENSHOT_DIR [?search=WORD] NAME=PATH...
// (the search box is tried with WORD, default `scheduler`).
import { launch, axe } from './chromium.mjs';
import path from 'node:path';

const [base, shots, ...rest] = process.argv.slice(2);
const QUERY = '?search=';
const query = (rest.find((a) => a.startsWith(QUERY)) || '').slice(QUERY.length) || process.env.SEARCH_QUERY || 'scheduler';
const pages = rest.filter((a) => !a.startsWith(QUERY));
const SHOT_KINDS = new Set(['home', 'story', 'role', 'map']);
// `home`, or `ar-home` on a site of several languages.
const SHOT = { has: (name) => SHOT_KINDS.has(name.replace(/^[a-z]{2}-/, '')) };

const browser = await launch();

// Pairs of map labels whose boxes overlap by more than a pixel each way.
function overlaps() {
  const found = [];
  for (const svg of document.querySelectorAll('svg.sp-map')) {
    const boxes = [...svg.querySelectorAll('text')].map((t) => ({ t: t.textContent, r: t.getBoundingClientRect() }))
      .filter((b) => b.r.width > 0 && b.r.height > 0);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r; const b = boxes[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) found.push(`${boxes[i].t} / ${boxes[j].t}`);
      }
    }
  }
  return found;
}

const report = { pages: {}, search: {} };
try {
  for (const spec of pages) {
    const [name, rel] = spec.split('=');
    const url = base + rel;
    const r = { url };
    for (const [w, h] of [[1280, 800], [375, 812]]) {
      const ctx = await browser.newContext({ viewport: { width: w, height: h } });
      const page = await ctx.newPage();
      const resp = await page.goto(url, { waitUntil: 'load' });
      r.status = resp.status();
      if (w === 375) {
        r.sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      } else {
        r.axe_light = await axe(page);
        r.checkboxes = await page.locator('main input[type=checkbox]').count();
        r.overlaps = await page.evaluate(overlaps);
      }
      if (SHOT.has(name)) {
        await page.screenshot({ path: path.join(shots, `${name}-${w}.png`), fullPage: true });
      }
      await ctx.close();
    }
    const dark = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    const page = await dark.newPage();
    await page.goto(url, { waitUntil: 'load' });
    r.axe_dark = await axe(page);
    if (SHOT.has(name)) await page.screenshot({ path: path.join(shots, `${name}-dark-1280.png`) });
    await dark.close();
    report.pages[name] = r;
  }

  // The search box: shown and working with JavaScript, absent without.
  const stories = base + 'stories/';
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(stories, { waitUntil: 'load' });
  report.search.visible = await page.isVisible('form.search input');
  await page.fill('form.search input', query);
  await page.waitForFunction(() => document.querySelector('.search-status').textContent !== '', null, { timeout: 5000 });
  report.search.status = await page.textContent('.search-status');
  report.search.results = await page.$$eval('.search-results a', (as) => as.map((a) => a.textContent));
  report.search.cards = await page.$$eval('.cards .card', (cs) => cs.length);
  await ctx.close();
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await nojs.newPage();
  // The DOM is what is checked here; waiting for every image of a page
  // without JavaScript (lazy loading is off then) timed out on a loaded
  // machine, three runs in four, with nothing wrong on the page.
  await plain.goto(stories, { waitUntil: 'domcontentloaded', timeout: 60000 });
  report.search.visible_without_js = await plain.isVisible('form.search');
  report.search.cards_without_js = await plain.$$eval('.cards .card', (cs) => cs.length);
  await nojs.close();
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 1));
