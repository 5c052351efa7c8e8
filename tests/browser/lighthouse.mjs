// Runs Lighthouse on built pages in Debian's headless Chromium, one browser
// for every page: the performance, accessibility, best-practices and SEO
// categories (each score, and every weighed audit that did not pass), and
// the image audits one by one: images no larger than shown, in a modern
// format, the LCP image neither lazy-loaded nor left to be found late, every
// image with its width and height, offscreen images deferred. Prints one
// JSON report on stdout; the Rust test judges it.
// Usage: node lighthouse.mjs [--form-factor mobile|desktop]... URL...
// (mobile when no form factor is named; each named one runs on every URL).
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const AUDITS = [
  'uses-responsive-images',
  'modern-image-formats',
  'lcp-lazy-loaded',
  'unsized-images',
  'offscreen-images',
  'prioritize-lcp-image',
];
// Not judged, but shown: what the page's LCP is, to read the LCP audits by,
// and the images it loaded (a page whose images failed to load would pass).
const INFO = ['largest-contentful-paint-element', 'network-requests'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

const formFactors = [];
const urls = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--form-factor') {
    const f = args[++i];
    if (f !== 'mobile' && f !== 'desktop') throw new Error(`unknown form factor ${f}`);
    formFactors.push(f);
  } else {
    urls.push(args[i]);
  }
}
if (!urls.length) throw new Error('usage: node lighthouse.mjs [--form-factor mobile|desktop]... URL...');
if (!formFactors.length) formFactors.push('mobile');

function config(formFactor) {
  const settings = formFactor === 'desktop' ? { ...desktopConfig.settings } : {};
  return {
    extends: 'lighthouse:default',
    // The full-page screenshot only illustrates a report's elements.
    // onlyAudits adds to onlyCategories: the info audits are in none.
    settings: {
      ...settings,
      onlyCategories: CATEGORIES,
      onlyAudits: [...AUDITS, ...INFO],
      disableFullPageScreenshot: true,
      // The not-found page answers 404, as it must; Lighthouse would refuse
      // to audit it. The Rust test checks every page's status itself.
      ignoreStatusCode: true,
      // Each page starts fresh anyway (storage reset); the blank page
      // between audits only costs time (24 audits in one test).
      skipAboutBlank: true,
    },
  };
}

// The rows of an audit's table, as much of each as says which image and how
// much it costs.
// A category's score, and its audits that count towards it and did not
// pass: what to fix when the score is below the bar.
function category(lhr, id) {
  const c = lhr.categories[id];
  if (!c) return null;
  const failing = c.auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => ({ ref, a: lhr.audits[ref.id] }))
    .filter(({ a }) => a && a.score !== null && a.score < 1)
    .map(({ ref, a }) => ({
      id: ref.id,
      title: a.title,
      score: a.score,
      displayValue: a.displayValue ?? null,
      errorMessage: a.errorMessage ?? null,
      items: items(a, lhr.finalDisplayedUrl).slice(0, 5),
    }));
  return { score: c.score, failing };
}

function items(audit, page) {
  const rows = audit.details?.items ?? [];
  return rows.flatMap((row) => {
    // largest-contentful-paint-element nests its tables.
    if (row.type === 'table') return row.items.map((r) => pick(r, page));
    return [pick(row, page)];
  });
}

function pick(row, page) {
  const out = {};
  if (typeof row.url === 'string') out.url = row.url;
  for (const k of ['totalBytes', 'wastedBytes', 'wastedPercent', 'wastedMs']) {
    if (typeof row[k] === 'number') out[k] = Math.round(row[k]);
  }
  if (row.node?.type === 'node') {
    out.node = { selector: row.node.selector, snippet: row.node.snippet };
    if (!out.url) {
      // An element named without its request (lcp-lazy-loaded): its src,
      // made absolute as the others are.
      const src = /\bsrc="([^"]*)"/.exec(row.node.snippet ?? '');
      if (src) out.url = new URL(src[1].replaceAll('&amp;', '&'), page).href;
    }
  }
  if (row.phase) out.phase = row.phase;
  if (typeof row.timing === 'number') out.timing = Math.round(row.timing);
  return out;
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
  logLevel: 'silent',
});
const report = {};
try {
  for (const formFactor of formFactors) {
    report[formFactor] = {};
    for (const url of urls) {
      const started = Date.now();
      const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error' }, config(formFactor));
      const lhr = result.lhr;
      const page = {
        finalUrl: lhr.finalDisplayedUrl,
        runtimeError: lhr.runtimeError?.message ?? null,
        runWarnings: lhr.runWarnings,
        seconds: (Date.now() - started) / 1000,
        audits: {},
        info: {},
      };
      page.categories = Object.fromEntries(CATEGORIES.map((id) => [id, category(lhr, id)]));
      for (const id of AUDITS) {
        const a = lhr.audits[id];
        page.audits[id] = a
          ? {
            title: a.title,
            score: a.score,
            scoreDisplayMode: a.scoreDisplayMode,
            displayValue: a.displayValue ?? null,
            metricSavings: a.metricSavings ?? null,
            errorMessage: a.errorMessage ?? null,
            items: items(a, lhr.finalDisplayedUrl),
          }
          : null;
      }
      const lcp = lhr.audits['largest-contentful-paint-element'];
      page.info.lcp = lcp ? items(lcp, lhr.finalDisplayedUrl) : null;
      page.info.images = (lhr.audits['network-requests']?.details?.items ?? [])
        .filter((r) => r.resourceType === 'Image')
        .map((r) => ({ url: r.url, status: r.statusCode, mimeType: r.mimeType, bytes: r.transferSize }));
      const doc = (lhr.audits['network-requests']?.details?.items ?? [])
        .find((r) => r.resourceType === 'Document');
      page.info.status = doc?.statusCode ?? null;
      // Sent compressed: fewer bytes on the wire than in the page.
      page.info.documentBytes = doc ? { transfer: doc.transferSize, resource: doc.resourceSize } : null;
      report[formFactor][url] = page;
    }
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify(report, null, 2));
