// The stories index's search in Debian's headless Chromium, against the
// built site served as a static host serves it, next to Pagefind's over the
// same output (indexed into OUT/pagefind/ by the Rust test):
//  - the layout shifts of /stories/ while it loads (PerformanceObserver
//    'layout-shift'), and whether the form shows, with and without JavaScript;
//  - for each query, the stories ours finds (typed into the real form: the
//    story cards it leaves shown) and the stories Pagefind finds (its own
//    pagefind.js, results' data() loaded as its UI does), apart from those
//    it finds only in its metadata (see `pagefind` below);
//  - the bytes each transfers: every file the page requested for the search,
//    counted as a host sends it (gzip -9 for text, as is for Pagefind's files,
//    which are gzipped already), once per query from a cold cache (one
//    visitor, one query) and over all queries in one visit.
// Prints one JSON report on stdout; the Rust test judges it.
// Usage: node search.mjs BASE_URL OUT_DIR QUERY...
import { launch } from './chromium.mjs';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [base, out, ...queries] = process.argv.slice(2);
const stories = base + 'stories/';
const prefix = new URL(base).pathname;

// A requested URL as a site path (`stories/ada-okafor/`, `search.json`).
function sitePath(url) {
  const p = new URL(url, base).pathname;
  return p.startsWith(prefix) ? p.slice(prefix.length) : p.replace(/^\//, '');
}

// What a host sends for a file of the output: Pagefind's binary files are
// gzip already (served as is), text is gzipped.
const sizes = new Map();
function sent(rel) {
  if (!sizes.has(rel)) {
    let file = path.join(out, rel);
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    const bytes = fs.readFileSync(file);
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
    sizes.set(rel, gzipped ? bytes.length : zlib.gzipSync(bytes, { level: 9 }).length);
  }
  return sizes.get(rel);
}

// The site paths a page requests from now on, but for the page and what it
// loads without a search (its stylesheet, images, fonts).
function recorder(page) {
  const seen = new Set();
  page.on('request', (r) => {
    const p = sitePath(r.url());
    if (/(^|\/)search\.json$|js\/search\.|^pagefind\//.test(p)) seen.add(p);
  });
  return seen;
}

// Opens /stories/ and waits for its load event. A request to the test's
// static server that was just started sometimes never gets its
// answer (seen with the page before this search too): the page is opened
// again, up to three times, rather than the test failing on the server.
async function open(page) {
  for (let tries = 1; ; tries++) {
    try {
      return await page.goto(stories, { waitUntil: 'load', timeout: 20000 });
    } catch (e) {
      if (tries === 3) throw e;
    }
  }
}

const bytesOf = (files) => [...files].reduce((n, f) => n + sent(f), 0);
const storyPaths = (urls) => [...new Set(urls.map(sitePath).filter((p) => /^stories\/[^/]+\/$/.test(p)))].sort();

const browser = await launch();
const report = { ours: {}, pagefind: {} };
try {
  // Layout shifts while /stories/ loads, counted from before the first paint.
  {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await ctx.addInitScript(() => {
      window.__cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const page = await ctx.newPage();
    await open(page);
    await page.waitForTimeout(1000);
    report.cls = await page.evaluate(() => window.__cls);
    report.visible = await page.isVisible('form.search input');
    await ctx.close();
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    const plain = await nojs.newPage();
    // `load`, not `domcontentloaded`: the box is hidden by the stylesheet
    // (`@media (scripting: none)`), which a busy machine may not have applied
    // by DOMContentLoaded (this check failed twice under load for that).
    await plain.goto(stories, { waitUntil: 'load', timeout: 60000 });
    report.visible_without_js = await plain.isVisible('form.search');
    await nojs.close();
  }

  // Ours: the queries typed one after another into one visit's form.
  {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const files = recorder(page);
    await open(page);
    report.ours.cards = await page.$$eval('.cards .card', (cs) => cs.length);
    const status = (empty) => page.waitForFunction(
      (empty) => (document.querySelector('.search-status').textContent === '') === empty, empty, { timeout: 10000 });
    for (const q of queries) {
      await page.fill('form.search input', '');
      await status(true);
      await page.fill('form.search input', q);
      await status(false);
      const shown = await page.$$eval('.cards .card:not([hidden]) h3 a', (as) => as.map((a) => a.href));
      const listed = await page.$$eval('.search-results a', (as) => as.map((a) => a.href));
      report.ours[q] = { stories: storyPaths(shown), listed: listed.map(sitePath) };
    }
    report.ours.files = [...files].sort();
    report.ours.bytes = bytesOf(files);
    await ctx.close();
  }

  // Pagefind: its JS API from the same server, every result's data loaded
  // (that is where its URL is). Cold: a fresh visit per query.
  // A result without a location in its content matched only Pagefind's
  // metadata: the image it takes for the page (the first after the <h1>,
  // here another story's card photo) and that image's alt text.
  const pagefind = async (page, q) => page.evaluate(async ([src, q]) => {
    const pf = await import(src);
    const r = await pf.search(q);
    const data = await Promise.all(r.results.map((x) => x.data()));
    return { found: data.filter((d) => d.locations.length).map((d) => d.url),
      meta_only: data.filter((d) => !d.locations.length).map((d) => d.url) };
  }, [base + 'pagefind/pagefind.js', q]);
  {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await open(page);
    const files = recorder(page);
    for (const q of queries) {
      const r = await pagefind(page, q);
      report.pagefind[q] = { stories: storyPaths(r.found), meta_only: storyPaths(r.meta_only) };
    }
    report.pagefind.files = [...files].sort();
    report.pagefind.bytes = bytesOf(files);
    await ctx.close();
  }
  for (const q of queries) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await open(page);
    const files = recorder(page);
    await pagefind(page, q);
    report.pagefind[q].cold_bytes = bytesOf(files);
    await ctx.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 1));
