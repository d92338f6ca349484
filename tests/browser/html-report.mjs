// Opens an HTML report in Debian's headless Chromium (driven by playwright-core
// from the project's node_modules), uses it as a person would and prints what
// it saw as JSON on stdout, for the Rust end-to-end tests to judge:
//
//   node tests/browser/html-report.mjs REPORT.html --screenshot OUT.png [--open-every-check]
//
// Any request that leaves the file (the report must need no network) is
// blocked and listed; so are dialogs (a script from a finding would open
// one), page errors and console errors (a Content Security Policy violation
// is one).
import path from 'node:path';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const report = path.resolve(args[0]);
const option = (name) => { const at = args.indexOf(name); return at < 0 ? null : args[at + 1]; };
const screenshot = option('--screenshot');
const openEveryCheck = args.includes('--open-every-check');

const browser = await chromium.launch({
  executablePath: process.env.PLUMBLINE_CHROMIUM || '/usr/bin/chromium',
  // The tests run as root in a container, where Chromium's sandbox cannot start.
  // Precise memory figures make performance.memory worth reporting.
  args: ['--no-sandbox', '--enable-precise-memory-info'],
});
const seen = { dialogs: [], page_errors: [], console_errors: [], network_requests: [], timings_ms: {} };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  page.on('dialog', (dialog) => { seen.dialogs.push(dialog.message()); dialog.dismiss(); });
  page.on('pageerror', (error) => seen.page_errors.push(String(error)));
  page.on('console', (message) => { if (message.type() === 'error') seen.console_errors.push(message.text()); });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    seen.network_requests.push(url);
    return route.abort();
  });

  const started = Date.now();
  await page.goto(`file://${report}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  seen.timings_ms.load_and_draw = Date.now() - started;
  // Chromium's (non-standard) heap figure: what the page's data and DOM cost.
  seen.js_heap_bytes = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);

  const visible = () => page.$$eval('.rec:not([hidden])', (recs) => recs.map((rec) => ({
    id: rec.dataset.id, status: rec.dataset.status, section: rec.dataset.section, level: rec.dataset.level,
    checks: [...rec.querySelectorAll('.check[data-check]:not([hidden])')]
      .map((check) => ({ check: check.dataset.check, status: check.dataset.status })),
  })));
  const timed = async (name, action) => {
    const before = Date.now();
    await action();
    seen.timings_ms[name] = Date.now() - before;
  };
  const clickStatus = (status) => page.click(`#status-filter button[data-status="${status}"]`);

  seen.title = await page.title();
  seen.facts = await page.$eval('#scan-facts', (facts) => facts.innerText);
  seen.version = await page.$eval('#version', (select) => select.value);
  seen.versions = await page.$$eval('#version option', (options) => options.map((option) => option.value));
  seen.chart = await page.$$eval('#chart rect.bar', (bars) => bars.map((bar) => ({
    version: bar.dataset.version, level: Number(bar.dataset.level), percent: bar.dataset.percent,
    width: bar.getBoundingClientRect().width,
  })));
  seen.chart_text = await page.$eval('#chart', (chart) => chart.textContent);
  seen.sections = await page.$$eval('#sections tbody tr', (rows) => rows.map((row) => ({
    section: row.dataset.section,
    counts: Object.fromEntries([...row.querySelectorAll('td[data-status]')]
      .map((cell) => [cell.dataset.status, Number(cell.textContent)])),
  })));
  seen.waivers = await page.$eval('#waivers', (block) => (block.hidden ? null : block.innerText));
  seen.all = await visible();

  await timed('filter_to_fail', () => clickStatus('fail'));
  seen.fail = await visible();
  seen.fail_hash = await page.evaluate(() => location.hash);
  seen.shown_text = await page.$eval('#shown', (shown) => shown.textContent);
  const firstFailing = page.locator('.check[data-status="fail"]:not([hidden]) > summary').first();
  if (await firstFailing.count()) {
    await timed('open_first_failing_check', async () => {
      await firstFailing.click();
      await page.waitForSelector('.check[open] table.findings tbody tr');
    });
    seen.first_failing_rows = await page.locator('.check[open] table.findings tbody tr').count();
  }
  if (screenshot) {
    await page.setViewportSize({ width: 1280, height: 1800 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshot });
    seen.screenshot = screenshot;
  }
  await clickStatus('');

  // The largest check not opened yet, so that its findings are drawn now.
  seen.largest_check_findings = await page.$$eval('details.check:not([open])', (checks) => {
    const largest = checks.reduce((best, check) =>
      (Number(check.dataset.findings) > Number(best.dataset.findings) ? check : best));
    largest.id = 'largest-check';
    return Number(largest.dataset.findings);
  });
  await timed('open_largest_check', async () => {
    await page.click('#largest-check > summary');
    await page.waitForSelector('#largest-check table.findings tbody tr');
  });
  seen.largest_check_rows = await page.locator('#largest-check table.findings tbody tr').count();
  await page.click('#largest-check > summary');

  const manual = page.locator('.check[data-status="manual"] > summary').first();
  if (await manual.count()) {
    await manual.click();
    await page.waitForSelector('.check[data-status="manual"][open] .guidance');
    seen.manual_check = await page.locator('.check[data-status="manual"][open]').first().innerText();
  }

  await timed('search', async () => {
    await page.fill('#search', 'user/bob');
    await page.waitForFunction(() => document.querySelector('#shown').textContent.includes('checks') &&
      document.querySelectorAll('.rec:not([hidden])').length < document.querySelectorAll('.rec').length);
  });
  seen.search_bob = await visible();
  await page.fill('#search', '');
  await page.waitForFunction(() => document.querySelectorAll('.rec[hidden]').length === 0);

  await page.selectOption('#level-filter', '2');
  seen.level_2 = await visible();
  await page.selectOption('#level-filter', '');
  const firstSection = seen.sections[0]?.section;
  if (firstSection) {
    await page.click('#sections tbody tr:first-child button');
    seen.first_section = await visible();
    await page.selectOption('#section-filter', '');
  }

  const oldest = seen.versions[seen.versions.length - 1];
  if (oldest && oldest !== seen.version) {
    await timed('switch_version', () => page.selectOption('#version', oldest));
    seen.switched = { version: oldest, recommendations: await visible() };
    await page.selectOption('#version', seen.version);
  }

  if (openEveryCheck) {
    await timed('open_every_check', () => page.$$eval('details.check', (checks) => {
      for (const check of checks) check.open = true;
    }));
    // Let any script a finding carried have its chance to run.
    await page.waitForTimeout(500);
    seen.page_text = await page.$eval('#recommendations', (list) => list.innerText);
  }

  // A link to a view: the fragment the page writes, opened fresh.
  await page.goto('about:blank');
  await page.goto(`file://${report}#status=fail&level=1`);
  await page.waitForSelector('body[data-ready="true"]');
  seen.from_link = {
    status: await page.$eval('#status-filter button[aria-pressed="true"]', (button) => button.dataset.status),
    level: await page.$eval('#level-filter', (select) => select.value),
    recommendations: await visible(),
  };
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
