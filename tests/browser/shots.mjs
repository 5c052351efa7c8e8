// Screenshots of built pages for a person to look at (docs/screenshots/ and
// design reviews): every page given, at 375, 768 and 1280 px wide, in light
// and dark mode, the page's top MAX_H pixels (the whole page when shorter).
// Not a test: it judges nothing. Usage:
//   node shots.mjs BASE_URL OUT_DIR NAME=PATH...
// writes OUT_DIR/NAME-WIDTH-light.png and NAME-WIDTH-dark.png.
import { launch } from './chromium.mjs';
import path from 'node:path';
import fs from 'node:fs';

const [base, out, ...pages] = process.argv.slice(2);
const MAX_H = Number(process.env.SHOT_MAX_H || 2400);
fs.mkdirSync(out, { recursive: true });
const browser = await launch();
try {
  for (const spec of pages) {
    const [name, rel] = spec.split('=');
    for (const w of [375, 768, 1280]) {
      for (const scheme of ['light', 'dark']) {
        const ctx = await browser.newContext({ viewport: { width: w, height: 800 }, colorScheme: scheme });
        const page = await ctx.newPage();
        await page.goto(base + rel, { waitUntil: 'load' });
        // Lazy images below the fold load too: the picture is of the whole page.
        await page.evaluate(() => { for (const img of document.images) img.loading = 'eager'; });
        await page.waitForLoadState('networkidle');
        const h = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.screenshot({
          path: path.join(out, `${name}-${w}-${scheme}.png`),
          clip: { x: 0, y: 0, width: w, height: Math.min(h, MAX_H) },
          fullPage: true,
        });
        await ctx.close();
      }
    }
  }
} finally {
  await browser.close();
}
