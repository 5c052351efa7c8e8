// The CMS that `storypath cms` writes, used as a writer would, in Debian's
// headless Chromium: Decap CMS comes from its npm package (the page asks
// unpkg.com for the pinned release; those requests are answered from
// node_modules/decap-cms/dist), saves go through decap-server (Decap's
// local backend, on the port given; the page asks localhost:8081).
// Anything else away from the machine is aborted.
// It creates a story through the UI: headline, name, role (a select of the
// ladder), a photo (uploaded through the media library) and its description, a tag, a two-step typed path (an outside job, then a ladder
// role), a mentor (a relation to another story) and a body, then publishes.
// Prints one JSON report; the Rust test reads the file that was written.
// Usage: node cms.mjs ADMIN_URL DECAP_SERVER_PORT PHOTO.png [SCREENSHOT.png]
import { launch } from './chromium.mjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const [adminUrl, serverPort, photo, shot] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const dist = path.join(path.dirname(require.resolve('decap-cms/package.json')), 'dist');
const version = JSON.parse(fs.readFileSync(path.join(dist, '..', 'package.json'), 'utf8')).version;
const say = (m) => process.stderr.write(`${m}\n`);

const browser = await launch();
const report = { version, away: [], errors: [] };
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(60000);
  await ctx.route('**/*', async (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === 'unpkg.com' && u.pathname.startsWith(`/decap-cms@${version}/dist/`)) {
      const file = path.join(dist, path.basename(u.pathname));
      return route.fulfill({ path: file, contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript' });
    }
    if (u.hostname === 'localhost' && u.port === '8081') {
      const to = `http://127.0.0.1:${serverPort}${u.pathname}${u.search}`;
      const r = await route.fetch({ url: to });
      return route.fulfill({ response: r });
    }
    if (u.hostname === '127.0.0.1' || u.hostname === 'localhost') return route.continue();
    report.away.push(u.href);
    return route.abort('blockedbyclient');
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => report.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') say(`console: ${m.text()}`); });

  await page.goto(adminUrl);
  // The local backend still shows a login button.
  await page.getByRole('button', { name: /login/i }).click();
  await page.getByRole('link', { name: /story/i }).first().waitFor();
  await page.goto(`${adminUrl}#/collections/stories/new`);
  await page.locator('label:text-is("Headline")').waitFor();
  if (process.env.DUMP) fs.writeFileSync(process.env.DUMP, await page.content());

  // A field by its label; Decap adds " (optional)" to optional ones.
  const exactly = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const input = (label) => page.getByLabel(new RegExp(`^${exactly(label)}( \\(optional\\))?$`)).last();
  await input('Headline').fill('From the night shift to the schedule');
  await input('Name').fill('Zoë Test-Writer');
  // react-select: focus, type, choose the highlighted option.
  async function choose(label, text, option = text) {
    await input(label).click();
    await page.keyboard.type(text);
    // Relation options arrive from a search: wait for the one asked for.
    await page.getByRole('option', { name: new RegExp(exactly(option), 'i') }).first().click();
  }
  await choose('Current role', 'Scheduler');
  await choose('Tags', 'workforce-planning');
  await choose('How they got into the industry', 'Night shift');
  report.step = 'photo';
  await page.getByRole('button', { name: 'Choose an image' }).click();
  await page.locator('input[type="file"]').setInputFiles(photo);
  await page.getByRole('button', { name: /choose selected/i }).click();
  await input('Photo description').fill('Zoë at the scheduling desk');
  report.step = 'path';
  // The typed list: "Add step" offers the two kinds.
  const addStep = async (kind) => {
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByRole('menuitem', { name: kind }).click();
  };
  await addStep('A job elsewhere');
  await input('Job').fill('Retail cashier');
  await input('From (year)').fill('2014');
  await addStep('A role on the ladder');
  await choose('Role', 'Scheduler');
  await input('From (year)').fill('2019');
  report.step = 'relations';
  const relations = page.locator('[aria-label="object field"]').filter({ has: page.getByText('Family and mentors', { exact: true }) }).first();
  await relations.getByRole('button', { name: 'Expand' }).first().click();
  await choose('Mentors', 'Sharmane', 'Sharmane Good (sharmane-good)');
  report.step = 'body';
  const body = page.locator('[aria-label="markdown field"] [contenteditable="true"]').first();
  await body.click();
  await page.keyboard.type('I took night shifts while I studied.');
  report.step = 'publish';
  await page.getByRole('button', { name: 'Publish' }).first().click();
  await page.getByText('Publish now', { exact: true }).click();
  await page.waitForURL(/#\/collections\/stories\/entries\//, { timeout: 20000 }).catch(async (e) => {
    report.invalid = await page.locator('[class*="ControlErrorsList"] li, [class*="ErrorsList"] li').allTextContents();
    report.notifications = await page.locator('[class*="notif"], [role="alert"]').allTextContents();
    throw e;
  });
  report.entry = decodeURIComponent(new URL(page.url()).hash.split('/entries/')[1] || '');
  if (shot) await page.screenshot({ path: shot, fullPage: true });
  report.done = true;
} catch (e) {
  report.failure = String(e.stack || e);
  if (shot) await browser.contexts()[0]?.pages()[0]?.screenshot({ path: shot, fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
