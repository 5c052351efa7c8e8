// Opens a story served by `storypath serve` in Debian's headless Chromium and
// saves the story 100 times in 10 seconds, the way an editor saves (write a
// temporary file, rename it over the story). The page reloads itself on each
// change it notices; every page it loads must be whole (the footer is there)
// and show one save (the title's and the body's edit numbers agree).
// Usage: node edits.mjs URL FILE. Prints a JSON report.
import { launch } from './chromium.mjs';
import fs from 'node:fs';

const [url, file] = process.argv.slice(2);
const original = fs.readFileSync(file, 'utf8');
const browser = await launch();
const loads = [];
try {
  const page = await browser.newPage();
  // Read in the page itself at its load event (not from here afterwards,
  // when the next reload may already be replacing the document).
  await page.exposeFunction('reportLoad', (state) => loads.push(state));
  await page.addInitScript(() => {
    window.addEventListener('load', () => {
      const title = document.querySelector('h1')?.textContent || '';
      const t = title.match(/edit (\d+),/);
      const b = document.body.innerText.match(/Saved as edit (\d+)\./);
      window.reportLoad({ title: t ? Number(t[1]) : null, body: b ? Number(b[1]) : null,
        whole: !!document.querySelector('footer.site-footer') });
    });
  });
  await page.goto(url, { waitUntil: 'load' });
  const started = Date.now();
  for (let n = 0; n < 100; n++) {
    const text = original.replace('Statistics degree,', `Statistics degree, edit ${n},`) + `\nSaved as edit ${n}.\n`;
    fs.writeFileSync(file + '.tmp', text);
    fs.renameSync(file + '.tmp', file);
    const next = started + (n + 1) * 100;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  await page.waitForFunction(() => document.body.innerText.includes('Saved as edit 99.'), null, { timeout: 15000 });
  await page.waitForTimeout(300);
  console.log(JSON.stringify({ seconds: (Date.now() - started) / 1000, loads }));
} finally {
  await browser.close();
}
