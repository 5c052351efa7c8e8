// Focus on a role (issue 15 part 5) in Debian's headless Chromium: Tab to a
// role node of the full map, its moves get `sp-on`, the others fade, the
// live region names the role and every move with its people, Escape clears,
// the node still links to its role page; without JavaScript the map and its
// links are all there. Screenshots of /map/ at 1280 and 375 px, light and
// dark, go to SHOTS. Prints one JSON report; tests/map_focus.rs judges it.
// Usage: node focus.mjs BASE_URL SHOTS
import { launch } from './chromium.mjs';
import path from 'node:path';

const [base, shots] = process.argv.slice(2);
const url = base + 'map/';
const browser = await launch();

// The state of the map: which edges are on, how many are faded, the live text.
function state() {
  const svg = document.querySelector('svg.sp-map');
  const live = document.querySelector('.map-focus');
  const edges = [...svg.querySelectorAll('.sp-edge[data-from]')];
  const fade = (e) => Number(getComputedStyle(e).opacity);
  return {
    focusing: svg.classList.contains('sp-focusing'),
    on: edges.filter((e) => e.classList.contains('sp-on')).map((e) => ({
      from: e.dataset.from, to: e.dataset.to, title: e.querySelector('title').textContent, opacity: fade(e),
    })),
    faded: edges.filter((e) => !e.classList.contains('sp-on') && fade(e) < 0.5).length,
    edges: edges.length,
    dimmed: svg.querySelectorAll('.sp-node.sp-dim').length,
    live: live ? live.textContent : null,
    live_polite: live ? live.getAttribute('aria-live') : null,
    live_text: live ? live.textContent : null,
    active: document.activeElement && document.activeElement.getAttribute('data-role'),
    href: document.activeElement && document.activeElement.getAttribute('href'),
    title: document.activeElement && document.activeElement.querySelector('title')
      && document.activeElement.querySelector('title').textContent,
  };
}

const report = {};
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(url, { waitUntil: 'load' });
  report.before = await page.evaluate(state);
  // Tab from the map's scroll box into the map, to the role with most moves.
  const target = process.env.FOCUS_ROLE || 'agent';
  await page.focus('.map-scroll');
  let found = false;
  for (let i = 0; i < 80 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate((t) => document.activeElement
      && document.activeElement.getAttribute('data-role') === t, target);
  }
  report.reached_by_tab = found;
  await page.waitForTimeout(300);
  report.focused = await page.evaluate(state);
  await page.screenshot({ path: path.join(shots, 'map-focus-1280.png'), fullPage: true,
    clip: await page.evaluate(() => {
      const r = document.querySelector('.map-scroll').getBoundingClientRect();
      const l = document.querySelector('.map-focus').getBoundingClientRect();
      return { x: 0, y: r.top + window.scrollY, width: 1280, height: Math.min(l.bottom - r.top, 1400) };
    }) });
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  report.escaped = await page.evaluate(state);
  // Enter follows the link to the role page.
  await page.evaluate((t) => document.querySelector(`[data-role="${t}"]`).focus(), target);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  report.after_enter = page.url();
  await ctx.close();

  for (const scheme of ['light', 'dark']) {
    for (const [w, h] of [[1280, 800], [375, 812]]) {
      const c = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme });
      const p = await c.newPage();
      await p.goto(url, { waitUntil: 'load' });
      await p.screenshot({ path: path.join(shots, `map-${scheme}-${w}.png`), fullPage: true,
        clip: await p.evaluate(() => {
          const r = document.querySelector('.map-scroll').getBoundingClientRect();
          return { x: 0, y: r.top + window.scrollY - 8, width: window.innerWidth, height: r.height + 120 };
        }) });
      await c.close();
    }
  }

  // A tablet: the full map, but no hover; the hint says what a tap does.
  const touch = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true });
  const tablet = await touch.newPage();
  await tablet.goto(url, { waitUntil: 'load' });
  report.touch = await tablet.evaluate(() => {
    const live = document.querySelector('.map-focus');
    return { hover_none: matchMedia('(hover: none)').matches, hint: live && live.textContent,
      shown: !!live && getComputedStyle(live).display !== 'none' };
  });
  await touch.close();

  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await nojs.newPage();
  await plain.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
  report.without_js = await plain.evaluate(() => ({
    nodes: document.querySelectorAll('svg.sp-map a.sp-node[href]').length,
    legend: !!document.querySelector('svg.sp-map .sp-key'),
    live: !!document.querySelector('.map-focus'),
    titles: [...document.querySelectorAll('svg.sp-map .sp-edge[data-from] > title')].length,
  }));
  await nojs.close();
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 1));
