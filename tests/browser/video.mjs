// A story page with a video (video.html, js/video.js) in Debian's headless
// Chromium. Every request of the page is recorded, and any that would leave
// the machine is aborted (the test machine has no network, and nothing may
// go out anyway). For a YouTube or Vimeo facade: what was requested before
// the play button is pressed (nothing away from the local server), the
// button (its accessible name, size, focus ring), axe-core in light and dark
// mode, then a click: the player's request, the iframe, where focus went,
// and the box before and after (no layout shift); and the page without
// JavaScript (the button is a plain link, nothing requested away). With
// --file, the self-hosted <video>: axe, its captions track and box.
// Both: the transcript opens. Prints one JSON report; the Rust test judges it.
// Usage: node video.mjs URL [--file]
import { launch, axe } from './chromium.mjs';

const [url, mode] = process.argv.slice(2);
const local = (u) => { const h = new URL(u).hostname; return h === '127.0.0.1' || h === 'localhost'; };

const browser = await launch();

// A context whose every request is recorded in `log`; requests away from
// the machine are counted in `away` and aborted.
async function recorded(options) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  // Generous: the test machine may be busy with builds.
  ctx.setDefaultTimeout(60000);
  ctx.setDefaultNavigationTimeout(60000);
  const log = { urls: [], away: 0 };
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    log.urls.push(u);
    say(`request ${u}`);
    if (local(u)) return route.continue();
    log.away += 1;
    return route.abort('blockedbyclient');
  });
  return { ctx, log };
}

// The box in page coordinates: focusing the play button may scroll the
// page, which is not the box moving.
const box = (page, sel) => page.locator(sel).first().evaluate((el) => {
  const r = el.getBoundingClientRect();
  return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
});
// The DOM and the deferred scripts are what is checked: waiting for `load`
// alone timed out now and then on a loaded machine (as pages.mjs found), so
// the page is opened at DOMContentLoaded (deferred scripts have run) and
// given a while for the rest. Requests are recorded whenever they come.
const t0 = Date.now();
const say = (m) => process.stderr.write(`${Date.now() - t0} ms: ${m}\n`);
async function open(page, u) {
  page.on('requestfailed', (r) => say(`failed ${r.url()} ${r.failure() && r.failure().errorText}`));
  // A navigation that stalls (a request of the page left unanswered, seen
  // about once in ten runs on a loaded machine) is tried again.
  for (let attempt = 1; ; attempt++) {
    say(`open ${u} (${attempt})`);
    try {
      await page.goto(u, { waitUntil: 'domcontentloaded', timeout: 20000 });
      break;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
  await page.waitForLoadState('load', { timeout: 20000 }).catch(() => {});
  await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
}
const report = {};
try {
  const { ctx, log } = await recorded({});
  const page = await ctx.newPage();
  await open(page, url);
  report.title = (await page.textContent('h1')).trim();
  report.axe_light = await axe(page);
  report.box_before = await box(page, '.video-box');
  report.transcript_open = await page.evaluate(() => {
    const d = document.querySelector('details.video-transcript');
    d.querySelector('summary').click();
    const open = d.open && d.querySelector('p') !== null && d.querySelector('p').offsetHeight > 0;
    d.open = false;
    return open;
  });
  if (mode === '--file') {
    report.tracks = await page.locator('video.video-box track[kind="captions"]').count();
    report.before = [...log.urls];
  } else {
    const expected = `Play video: ${report.title}`;
    const button = page.locator('.video-facade .video-play');
    report.button = {
      tag: await button.evaluate((b) => b.tagName),
      name: (await page.getByRole('button', { name: expected, exact: true }).count()) === 1
        ? expected : await button.ariaSnapshot(),
      ...(await page.locator('.video-play-pill').boundingBox()),
    };
    // Tab to the button, as a keyboard user does, and look at its focus ring.
    let focused = false;
    for (let i = 0; i < 80 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await button.evaluate((b) => document.activeElement === b);
    }
    report.focus_ring = focused ? await button.evaluate((b) => {
      const s = getComputedStyle(b);
      const pill = getComputedStyle(b.querySelector('.video-play-pill'));
      return b.matches(':focus-visible') && s.outlineStyle !== 'none' ? `${s.outlineStyle} ${s.outlineWidth} / ${pill.boxShadow}` : 'none';
    }) : 'none';
    report.before = [...log.urls];
    report.third_party_before = log.away;
    await page.emulateMedia({ colorScheme: 'dark' });
    report.axe_dark = await axe(page);
    await page.emulateMedia({ colorScheme: 'light' });

    const player = page.waitForRequest((r) => !local(r.url()), { timeout: 60000 });
    await button.click();
    report.player_request = (await player).url();
    await page.waitForSelector('iframe.video-frame');
    report.after = log.urls.slice(report.before.length);
    report.iframe = await page.$eval('iframe.video-frame', (f) => ({
      src: f.getAttribute('src'), allow: f.getAttribute('allow'), title: f.getAttribute('title'),
    }));
    report.focus = await page.evaluate(() => document.activeElement && document.activeElement.tagName);
    report.box_after = await box(page, '.video-box');
    report.facade_left = await page.locator('.video-facade').count();

    const { ctx: nojs, log: nojsLog } = await recorded({ javaScriptEnabled: false });
    const plain = await nojs.newPage();
    await open(plain, url);
    report.without_js = {
      tag: await plain.locator('.video-play').evaluate((a) => a.tagName),
      href: await plain.locator('.video-play').getAttribute('href'),
      requests_away: nojsLog.away,
    };
    await nojs.close();
  }
  if (!report.axe_dark) {
    await page.emulateMedia({ colorScheme: 'dark' });
    report.axe_dark = await axe(page);
  }
  await ctx.close();
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 1));
