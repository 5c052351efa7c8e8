// Opens a page served by `storypath serve` in Debian's headless Chromium,
// edits the story on disk the way an editor saves, and waits for the open
// page to reload by itself and show the new text.
// Usage: node reload.mjs URL FILE OLD_TEXT NEW_TEXT
import { launch } from './chromium.mjs';
import fs from 'node:fs';

const [url, file, oldText, newText] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(url);
  const before = await page.textContent('body');
  if (!before.includes(oldText)) throw new Error(`the page does not show "${oldText}" before the edit`);
  // Marks this document: a reload replaces it, and the mark is gone.
  await page.evaluate(() => { window.__beforeEdit = true; });
  // Give the page's reload poll a moment to be waiting.
  await page.waitForTimeout(300);
  const text = fs.readFileSync(file, 'utf8');
  const started = Date.now();
  fs.writeFileSync(file + '.tmp', text.replace(oldText, newText));
  fs.renameSync(file + '.tmp', file);
  await page.waitForFunction(
    (t) => !window.__beforeEdit && document.body.innerText.includes(t),
    newText,
    { timeout: 5000, polling: 10 },
  );
  console.log(JSON.stringify({ reloaded_after_ms: Date.now() - started }));
} finally {
  await browser.close();
}
