// End-to-end test of the web UI in a real browser: Debian's chromium driven by playwright-core.
//
// Ingests samples/ plus hostile files made here (script payloads in an HTML e-mail body, file
// names, an HTML title and author, an e-mail subject and sender), serves them with
// `trove serve --port 0`, and walks the UI: search, facets, date histogram, a document and its
// hits, entities, tags, notes, batch search, ingest status, watch lists, then team mode login
// and logout.
// Any dialog, page error, CSP violation or injected element fails the test.
//
// Environment: TROVE_BIN (the trove binary), TROVE_SOURCE_DIR (the checkout, for samples/ and
// web/dist), CHROMIUM (default /usr/bin/chromium), TROVE_WEB (default web/dist).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(process.env.TROVE_SOURCE_DIR ?? path.join(here, '..', '..'));
const troveBin = process.env.TROVE_BIN ?? path.join(sourceDir, 'build', 'trove');
const webDir = process.env.TROVE_WEB ?? path.join(sourceDir, 'web', 'dist');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// playwright-core is a devDependency of web/ (installed by `make web`).
const { chromium } = createRequire(path.join(sourceDir, 'web', 'package.json'))('playwright-core');

const kTimeout = 15_000;
const kPassword = 'correct horse battery staple';

// ---------------------------------------------------------------------------------------------
// Fixtures

function makeHostileFiles(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const write = (name, text) => fs.writeFileSync(path.join(dir, name), text);
  write(
    'hostile-html-mail.eml',
    [
      'From: "<script>alert(\'from\')</script>" <mallory@example.org>',
      'To: victim@example.org',
      "Subject: <img src=x onerror=alert('subject')> zebrafish <script>alert('subject2')</script>",
      'Date: Mon, 05 Mar 2012 10:00:00 +0000',
      'Message-ID: <hostile-1@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><head><title>mail</title></head><body>',
      '<p>The zebrafish report is attached.</p>',
      '<img src=x onerror="alert(\'body\')"><script>alert(\'body2\')</script>',
      '<p>&lt;img src=x onerror=alert(\'escaped\')&gt; &lt;script&gt;alert(\'escaped2\')&lt;/script&gt;</p>',
      '<a href="javascript:alert(\'link\')">click here</a>',
      '<iframe src="javascript:alert(\'frame\')"></iframe>',
      '<svg onload="alert(\'svg\')"></svg>',
      '</body></html>',
      '',
    ].join('\r\n'),
  );
  write(
    'hostile-page.html',
    [
      '<!doctype html><html><head>',
      "<title>&lt;img src=x onerror=alert('title')&gt;&lt;script&gt;alert('title2')&lt;/script&gt;</title>",
      "<meta name=\"author\" content=\"&lt;img src=x onerror=alert('author')&gt;\">",
      '<script>alert("page")</script>',
      '</head><body onload="alert(\'onload\')">',
      '<h1>zebrafish page</h1>',
      "<p>Plain words: &lt;script&gt;alert('visible')&lt;/script&gt;</p>",
      '</body></html>',
    ].join('\n'),
  );
  write(
    "<img src=x onerror=alert('filename')>.txt",
    'A zebrafish in a file whose name is a script payload.\n',
  );
  write(
    "<svg onload=alert('filename2')>.txt",
    "zebrafish again, and <script>alert('text')</script> in the text itself.\n",
  );
}

function run(args, input) {
  const result = spawnSync(troveBin, args, { input, encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) {
    throw new Error(`trove ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  }
  return result.stdout;
}

function startServer(collection) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      troveBin,
      ['serve', '--collection', collection, '--host', '127.0.0.1', '--port', '0', '--web', webDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`trove serve did not start:\n${out}${err}`)), 30_000);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`trove serve exited ${code}:\n${out}${err}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Checks

let stepCount = 0;
async function step(name, fn) {
  const started = Date.now();
  process.stdout.write(`[${++stepCount}] ${name} ... `);
  await fn();
  process.stdout.write(`ok (${Date.now() - started} ms)\n`);
}

// Elements and attributes that only an injection could have put in the page.
async function injectedElements(page) {
  return page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
      for (const name of el.getAttributeNames()) {
        if (/^on/i.test(name)) found.push(`${el.tagName} with ${name}`);
        if (/^(href|src|action|formaction|xlink:href)$/i.test(name)) {
          if (/^\s*javascript:/i.test(el.getAttribute(name))) found.push(`${el.tagName} ${name}=javascript:`);
        }
      }
    }
    for (const el of document.querySelectorAll('script')) {
      const src = el.getAttribute('src') ?? '';
      if (!src.startsWith('/assets/')) found.push(`script ${el.outerHTML.slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('img, iframe, frame, object, embed, video, audio, base, form[action^="http"]')) {
      found.push(el.outerHTML.slice(0, 80));
    }
    for (const el of document.querySelectorAll('svg')) {
      if (!el.closest('.histogram, .timeline')) found.push(`svg outside the charts: ${el.outerHTML.slice(0, 80)}`);
    }
    // cytoscape sizes its canvases through the CSSOM (which the CSP allows) inside its container.
    for (const el of document.querySelectorAll('[style]')) {
      if (!el.closest('.graph-canvas')) found.push(`inline style on ${el.tagName}`);
    }
    for (const el of document.querySelectorAll('style')) found.push(`a style element: ${el.outerHTML.slice(0, 80)}`);
    return found;
  });
}

async function text(locator) {
  return (await locator.textContent({ timeout: kTimeout })) ?? '';
}

async function searchFor(page, query) {
  const box = page.getByTestId('query');
  await box.fill(query);
  await box.press('Enter');
  await page.waitForFunction((q) => new URLSearchParams(location.search).get('q') === q, query, {
    timeout: kTimeout,
  });
  await waitIdle(page);
  return totalOf(page);
}

async function totalOf(page) {
  const t = await text(page.getByTestId('total'));
  const m = /([\d,]+) document/.exec(t);
  assert.ok(m, `no total in "${t}"`);
  return Number(m[1].replace(/,/g, ''));
}

// Until the results shown answer the search in the address bar (the page marks them so).
async function waitIdle(page) {
  await page.locator('.results[data-current="true"]').waitFor({ timeout: kTimeout });
}

// ---------------------------------------------------------------------------------------------

async function main() {
  assert.ok(fs.existsSync(path.join(webDir, 'index.html')), `the UI is not built in ${webDir} (make web)`);
  assert.ok(fs.existsSync(chromiumPath), `no chromium at ${chromiumPath} (scripts/install-deps.sh --test)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trove-browser-'));
  const collection = path.join(work, 'collection');
  const hostile = path.join(work, 'hostile');
  makeHostileFiles(hostile);
  run(['ingest', '--collection', collection, path.join(sourceDir, 'samples'), hostile]);

  const { child: server, url: base } = await startServer(collection);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const problems = [];
  try {
    const context = await browser.newContext({ acceptDownloads: true });
    context.setDefaultTimeout(kTimeout);
    // Record CSP violations: a blocked inline script or style means markup got through.
    await context.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample ?? ''}`);
      });
    });
    const page = await context.newPage();
    page.on('dialog', async (dialog) => {
      problems.push(`a ${dialog.type()} dialog opened: ${dialog.message()}`);
      await dialog.dismiss().catch(() => {});
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) {
        problems.push(`console: ${msg.text()}`);
      }
    });
    const checkInert = async (where) => {
      const injected = await injectedElements(page);
      assert.deepEqual(injected, [], `injected markup on ${where}`);
      const csp = await page.evaluate(() => window.__csp ?? []);
      assert.deepEqual(csp, [], `CSP violations on ${where}`);
      assert.deepEqual(problems, [], `problems on ${where}`);
    };

    await step('the search page loads (timed)', async () => {
      const started = performance.now();
      await page.goto(`${base}/search?q=election`);
      await page.getByTestId('hit-title').first().waitFor();
      const elapsed = performance.now() - started;
      const nav = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0];
        return n ? { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd } : null;
      });
      console.log(
        `\n    search page load: ${elapsed.toFixed(0)} ms to the first result` +
          (nav ? ` (DOMContentLoaded ${nav.dcl.toFixed(0)} ms, load ${nav.load.toFixed(0)} ms)` : ''),
      );
      // Again with the browser's cache warm, as a user returning to the page sees it.
      const again = performance.now();
      await page.reload();
      await page.getByTestId('hit-title').first().waitFor();
      console.log(`    search page load, warm: ${(performance.now() - again).toFixed(0)} ms`);
      const parsed = await text(page.getByTestId('parsed'));
      assert.ok(parsed.length > 0, 'the parsed query is shown back');
      await checkInert('the search page');
    });

    await step('highlights cut multi-byte text at the right places', async () => {
      // Marks are UTF-8 byte spans: a slip of one byte shows as a shifted or broken highlight.
      await searchFor(page, 'élection');
      const marks = await page.locator('.snippet mark').allTextContents();
      assert.ok(marks.length >= 3, `marks: ${marks}`);
      for (const m of marks) assert.match(m, /^[ée]lections?$/i, `a highlight reads "${m}"`);
      assert.ok(marks.some((m) => m.startsWith('é')), 'the French document is among the hits');
    });

    await step('syntax help opens', async () => {
      await page.getByRole('button', { name: 'Syntax' }).click();
      await page.getByTestId('syntax-help').waitFor();
      assert.match(await text(page.getByTestId('syntax-help')), /NEAR\/3/);
    });

    await step('search finds the hostile documents and shows them inert', async () => {
      const total = await searchFor(page, 'zebrafish');
      assert.ok(total >= 4, `zebrafish: ${total} documents, want at least 4`);
      const body = await text(page.locator('main'));
      assert.match(body, /onerror=alert\('filename'\)/, 'the hostile file name is shown as text');
      assert.match(body, /<img src=x onerror=alert\('subject'\)>/, 'the hostile subject is shown as text');
      assert.ok(
        body.includes("<img src=x onerror=alert('title')><script>alert('title2')</script>"),
        'the hostile HTML title is shown as text',
      );
      await checkInert('the zebrafish results');
      // The export link gives the same results as CSV.
      const href = await page.getByTestId('export-csv').getAttribute('href');
      const csv = await page.evaluate(async (u) => (await fetch(u)).text(), href);
      const lines = csv.trim().split('\r\n');
      assert.match(lines[0], /^id,title,type,date/);
      assert.equal(lines.length - 1, total, 'one CSV row per result');
      // And as JSON.
      const jsonHref = await page.getByTestId('export-json').getAttribute('href');
      const exported = await page.evaluate(async (u) => (await fetch(u)).json(), jsonHref);
      assert.equal(exported.hits.length, total, 'one JSON hit per result');
    });

    await step('every hostile document renders inert', async () => {
      const hrefs = await page
        .getByTestId('hit-title')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.length >= 4);
      let sawPayloadText = 0;
      let all = '';
      for (const href of hrefs) {
        await page.goto(base + href);
        await page.getByTestId('doc-title').waitFor();
        await page.getByTestId('metadata').waitFor();
        const body = await text(page.locator('main'));
        if (/alert\(/.test(body)) ++sawPayloadText;
        all += body;
        await checkInert(href);
      }
      assert.ok(sawPayloadText >= 4, `payloads shown as text in ${sawPayloadText} documents`);
      // Metadata and bodies, as text: the author, the sender, the e-mail's escaped HTML.
      for (const payload of [
        "<img src=x onerror=alert('author')>",
        "<script>alert('from')</script>",
        "<img src=x onerror=alert('escaped')>",
        "<script>alert('visible')</script>",
      ]) {
        assert.ok(all.includes(payload), `${payload} is shown as text on its document`);
      }
    });

    await step('a facet filters, and can be excluded', async () => {
      await page.goto(`${base}/search?q=`);
      await waitIdle(page);
      const all = await totalOf(page);
      const typeFacet = page.locator('[data-facet="type"]');
      await typeFacet.waitFor();
      const email = typeFacet.locator('button.facet-value', { hasText: /^email$/ });
      await email.click();
      await page.locator('[data-testid="filters"] .chip', { hasText: 'type:email' }).waitFor();
      await waitIdle(page);
      const emails = await totalOf(page);
      assert.ok(emails > 0 && emails < all, `type:email gives ${emails} of ${all}`);
      const badges = await page.locator('.hit .badge').allTextContents();
      assert.ok(badges.length > 0 && badges.every((b) => b === 'email'), `badges: ${badges}`);
      assert.match(page.url(), /f=type%3Aemail/);
      // Exclude instead.
      await page.locator('[data-testid="filters"] .chip-x').click();
      await waitIdle(page);
      await page.locator('[data-facet="type"] li', { hasText: /^email/ }).hover();
      await page.getByRole('button', { name: 'exclude email' }).click();
      await page.locator('[data-testid="filters"] .chip.excluded').waitFor();
      await waitIdle(page);
      const others = await totalOf(page);
      assert.equal(others, all - emails, 'excluding email leaves the rest');
      const after = await page.locator('.hit .badge').allTextContents();
      assert.ok(after.every((b) => b !== 'email'), `badges after excluding: ${after}`);
      await checkInert('the facet filter');
    });

    await step('two values of one facet are OR-ed, other facets AND', async () => {
      await page.goto(`${base}/search?q=`);
      await waitIdle(page);
      const typeFacet = page.locator('[data-facet="type"]');
      await typeFacet.waitFor();
      // The two largest types.
      const [first, second] = (await typeFacet.locator('button.facet-value').allTextContents()).slice(0, 2);
      const counts = (await typeFacet.locator('.count').allTextContents()).map((c) => Number(c.replace(/,/g, '')));
      assert.ok(first && second && counts[0] > 0 && counts[1] > 0, `types ${first}, ${second}`);
      const value = (name) => typeFacet.locator('button.facet-value', { hasText: new RegExp(`^${name}$`) });
      await value(first).click();
      await page.locator('[data-testid="filters"] .chip', { hasText: `type:${first}` }).waitFor();
      await waitIdle(page);
      assert.equal(await totalOf(page), counts[0]);
      // The facet still offers the other types.
      await value(second).waitFor();
      await value(second).click();
      await page.locator('[data-testid="filters"] .chip', { hasText: `type:${first} OR type:${second}` }).waitFor();
      await waitIdle(page);
      assert.equal(await totalOf(page), counts[0] + counts[1], `${first} OR ${second}`);
      const badges = await page.locator('.hit .badge').allTextContents();
      assert.ok(badges.every((b) => b === first || b === second), `badges: ${badges}`);
      assert.equal(await page.locator('[data-testid="filters"] .chip').count(), 1, 'one filter for one facet');
      // Another facet ANDs, and an exclusion still works beside the group.
      const lang = page.locator('[data-facet="lang"] button.facet-value').first();
      const langName = await text(lang);
      await page.locator('[data-facet="lang"] li').first().hover();
      await page.getByRole('button', { name: `exclude ${langName}` }).click();
      await page.locator('[data-testid="filters"] .chip.excluded').waitFor();
      await waitIdle(page);
      const after = await totalOf(page);
      assert.ok(after < counts[0] + counts[1], `excluding ${langName}: ${after}`);
      // Picking a value again takes it out of the group.
      await value(second).click();
      await page.locator('[data-testid="filters"] .chip', { hasText: new RegExp(`^type:${first}×?$`) }).waitFor();
      await checkInert('the OR-ed facet');
    });

    await step('the entity graph draws the search and a node leads to its documents', async () => {
      await page.goto(`${base}/search?q=election`);
      await waitIdle(page);
      await page.getByTestId('view-graph').click();
      const canvas = page.getByTestId('graph-canvas');
      await canvas.waitFor();
      await page.locator('[data-testid="graph-canvas"][data-ready="true"]').waitFor();
      const nodes = Number(await canvas.getAttribute('data-nodes'));
      const edges = Number(await canvas.getAttribute('data-edges'));
      assert.ok(nodes >= 3 && edges >= 1, `${nodes} nodes, ${edges} edges`);
      assert.ok((await canvas.locator('canvas').count()) > 0, 'cytoscape drew on a canvas');
      assert.equal(await page.getByTestId('graph-nodes').locator('li').count(), nodes);
      await checkInert('the entity graph');
      // Click the heaviest node on the canvas itself.
      const [x, y] = (await canvas.getAttribute('data-first-node')).split(',').map(Number);
      const firstName = await text(page.getByTestId('graph-nodes').locator('li a').first());
      await canvas.click({ position: { x, y } });
      await page.waitForURL(/\/search\?/);
      await waitIdle(page);
      const chip = await text(page.locator('[data-testid="filters"] .chip').first());
      assert.ok(chip.includes(firstName.split(' ')[0]), `the node's filter: ${chip} for ${firstName}`);
      assert.ok((await totalOf(page)) >= 1);
      // An edge from the list: both entities as filters.
      await page.goBack();
      await page.getByTestId('graph-edges').locator('li a').first().click();
      await page.waitForURL(/\/search\?/);
      await waitIdle(page);
      assert.equal(await page.locator('[data-testid="filters"] .chip').count(), 2, 'an edge is two filters');
      assert.ok((await totalOf(page)) >= 1, 'the documents mentioning both');
    });

    await step('the e-mail graph links senders to recipients', async () => {
      await page.goto(`${base}/graph?kind=email&q=`);
      await page.locator('[data-testid="graph-canvas"][data-ready="true"]').waitFor();
      const edges = page.getByTestId('graph-edges').locator('li a');
      assert.ok((await edges.count()) >= 1);
      assert.match(await text(edges.first()), /→/);
      await checkInert('the e-mail graph');
      await edges.first().click();
      await page.waitForURL(/\/search\?/);
      await waitIdle(page);
      assert.ok((await totalOf(page)) >= 1, 'the messages of the link');
      const chips = await page.locator('[data-testid="filters"] .chip').allTextContents();
      assert.ok(chips.some((c) => c.startsWith('from:')), `chips: ${chips}`);
    });

    await step('the timeline narrows the search to a month', async () => {
      await page.goto(`${base}/search?q=`);
      await waitIdle(page);
      await page.getByTestId('view-timeline').click();
      const bar = page.locator('[data-testid="timeline-own"] .bar').first();
      await bar.waitFor();
      assert.ok((await page.locator('[data-testid="timeline-mentioned"] .bar').count()) >= 1, 'dates mentioned');
      await checkInert('the timeline');
      const month = await bar.getAttribute('data-month');
      await bar.click();
      await page.locator('[data-testid="filters"] .chip', { hasText: `date:${month}..${month}` }).waitFor();
      await waitIdle(page);
      const dates = await page.locator('.hit .hit-meta').allTextContents();
      assert.ok(dates.length > 0 && dates.every((d) => d.includes(month)), `dates outside ${month}: ${dates}`);
    });

    await step('selected results download as a zip of originals', async () => {
      await page.goto(`${base}/search?q=election`);
      await waitIdle(page);
      const boxes = page.getByTestId('hit-select');
      await boxes.nth(0).check();
      await boxes.nth(1).check();
      assert.match(await text(page.getByTestId('selection')), /2 selected/);
      const download = page.waitForEvent('download');
      await page.getByTestId('zip-download').click();
      const file = await (await download).path();
      const bytes = fs.readFileSync(file);
      assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip');
      assert.ok(bytes.includes(Buffer.from('manifest.csv')), 'with its manifest');
    });

    await step('an e-mail shows its thread, and a message of it opens', async () => {
      // A message whose thread has another message in the collection.
      const target = await page.evaluate(async () => {
        const hits = (await (await fetch('/api/search?q=type%3Aemail&limit=200')).json()).hits;
        for (const h of hits) {
          const doc = await (await fetch(`/api/documents/${h.id}`)).json();
          const others = (doc.thread?.messages ?? []).filter((m) => m.id && m.id !== doc.id);
          if (others.length > 0) return { id: doc.id, messages: doc.thread.messages.length, other: others[0].id };
        }
        return null;
      });
      assert.ok(target, 'the sample mailbox has a thread');
      await page.goto(`${base}/doc/${target.id}`);
      await page.getByTestId('thread').waitFor();
      assert.equal(await page.getByTestId('thread').locator('li').count(), target.messages);
      await checkInert('the thread');
      await page.getByTestId('thread').locator(`a[href^="/doc/${target.other}"]`).first().click();
      await page.waitForURL(new RegExp(`/doc/${target.other}`));
      await page.getByTestId('doc-title').waitFor();
    });

    await step('a document lists its near-duplicates and attachments, and they open', async () => {
      const target = await page.evaluate(async () => {
        const hits = (await (await fetch('/api/search?q=&limit=1000')).json()).hits;
        let near = null;
        let parent = null;
        for (const h of hits) {
          const doc = await (await fetch(`/api/documents/${h.id}`)).json();
          if (!near && doc.near_duplicates?.length) near = { id: doc.id, other: doc.near_duplicates[0].id };
          if (!parent && doc.children?.length) parent = { id: doc.id, child: doc.children[0].id };
          if (near && parent) break;
        }
        return { near, parent };
      });
      assert.ok(target.near, 'the samples hold a near-duplicate');
      await page.goto(`${base}/doc/${target.near.id}`);
      await page.getByTestId('near-duplicates').locator(`a[href^="/doc/${target.near.other}"]`).first().click();
      await page.waitForURL(new RegExp(`/doc/${target.near.other}`));
      await page.getByTestId('doc-title').waitFor();
      assert.ok(target.parent, 'the samples hold a container');
      await page.goto(`${base}/doc/${target.parent.id}`);
      await page.getByTestId('children').locator(`a[href^="/doc/${target.parent.child}"]`).first().click();
      await page.waitForURL(new RegExp(`/doc/${target.parent.child}`));
      await page.getByTestId('parent').waitFor();
      await checkInert('the near-duplicates and attachments');
    });

    await step('the date histogram filters by a year', async () => {
      await page.goto(`${base}/search?q=`);
      await waitIdle(page);
      const all = await totalOf(page);
      const bar = page.locator('.histogram .bar:not(.empty)').first();
      await bar.waitFor();
      const year = await bar.getAttribute('data-year');
      await bar.click();
      await page
        .locator('[data-testid="filters"] .chip', { hasText: `date:${year}-01-01..${year}-12-31` })
        .waitFor();
      await waitIdle(page);
      const inYear = await totalOf(page);
      assert.ok(inYear > 0 && inYear <= all, `${year}: ${inYear} of ${all}`);
      const dates = await page.locator('.hit .hit-meta').allTextContents();
      assert.ok(dates.every((d) => d.includes(year)), `dates outside ${year}: ${dates}`);
      // Brush: drag from the first year with documents to the last.
      await page.goto(`${base}/search?q=`);
      await waitIdle(page);
      const bars = page.locator('.histogram .bar:not(.empty)');
      assert.ok((await bars.count()) >= 2, 'the samples span several years');
      const from = await bars.first().getAttribute('data-year');
      const to = await bars.last().getAttribute('data-year');
      const a = await bars.first().boundingBox();
      const b = await bars.last().boundingBox();
      await page.mouse.move(a.x + a.width / 2, a.y + a.height - 2);
      await page.mouse.down();
      await page.mouse.move((a.x + b.x) / 2, a.y + a.height - 2, { steps: 4 });
      await page.mouse.move(b.x + b.width / 2, b.y + b.height - 2, { steps: 4 });
      await page.mouse.up();
      await page
        .locator('[data-testid="filters"] .chip', { hasText: `date:${from}-01-01..${to}-12-31` })
        .waitFor();
      await waitIdle(page);
      const inRange = await totalOf(page);
      assert.ok(inRange > inYear || from === to, `${from}..${to}: ${inRange}`);
    });

    await step('paging goes to the next page', async () => {
      await page.goto(`${base}/search?q=`);
      await waitIdle(page);
      const total = await totalOf(page);
      assert.ok(total > 20, `only ${total} documents: no second page`);
      const first = await page.getByTestId('hit-title').first().getAttribute('href');
      await page.getByTestId('next-page').click();
      await page.waitForURL(/offset=20/);
      await waitIdle(page);
      const second = await page.getByTestId('hit-title').first().getAttribute('href');
      assert.notEqual(first, second);
      assert.match(await text(page.getByTestId('pager')), /Page 2 of/);
      // A document opened from page 2 leads back to page 2.
      await page.getByTestId('hit-title').first().click();
      await page.getByTestId('doc-title').waitFor();
      await page.getByTestId('back').click();
      await page.waitForURL(/offset=20/);
      await waitIdle(page);
      assert.equal(await page.getByTestId('hit-title').first().getAttribute('href'), second);
    });

    let docUrl = '';
    let docTitle = '';
    await step('open a document and jump between hits', async () => {
      await page.goto(`${base}/search?q=election`);
      await waitIdle(page);
      // By keyboard: leave the query box, j to the first result, Enter opens it.
      await page.getByTestId('query').press('Escape');
      assert.equal(await page.getByTestId('query').inputValue(), 'election', 'Escape keeps the query');
      await page.keyboard.press('j');
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
        'hit-title',
        'j focuses the first result',
      );
      await page.keyboard.press('Enter');
      await page.getByTestId('doctext').waitFor();
      docUrl = page.url();
      docTitle = await text(page.getByTestId('doc-title'));
      const position = page.getByTestId('hit-position');
      const m = /Hit 1 of (\d+)/.exec(await text(position));
      assert.ok(m, 'the hit navigation shows hit 1');
      const hits = Number(m[1]);
      assert.ok(hits >= 2, `${hits} hits in the first document`);
      assert.equal(await page.locator('.doctext mark').count() >= hits, true);
      assert.equal(await page.locator('.doctext mark.current').first().getAttribute('data-hit'), '0');
      const at = (n) => page.getByTestId('hit-position').filter({ hasText: `Hit ${n} of ${hits}` });
      await page.getByTestId('hit-next').click();
      await at(2).waitFor();
      assert.equal(await page.locator('.doctext mark.current').first().getAttribute('data-hit'), '1');
      assert.equal(await page.locator('.doctext mark.current').count() >= 1, true);
      await page.keyboard.press('p');
      await at(1).waitFor();
      await page.getByTestId('hit-prev').click();
      await at(hits).waitFor(); // previous from the first wraps to the last
      assert.equal(
        await page.locator('.doctext mark.current').first().getAttribute('data-hit'),
        String(hits - 1),
      );
      await checkInert('the document');
    });

    await step('an entity mention leads to the entity view', async () => {
      const mention = page.locator('.doctext a.entity').first();
      assert.ok((await page.locator('.doctext a.entity').count()) > 0, 'entity mentions are marked');
      const title = await mention.getAttribute('title');
      await mention.click();
      await page.getByTestId('entity-name').waitFor();
      const name = await text(page.getByTestId('entity-name'));
      assert.ok(title.endsWith(name), `entity view of "${name}" from a mention titled "${title}"`);
      await page.locator('.entity-page .hit-title').first().waitFor();
      await checkInert('the entity view');
      await page.goBack();
      await page.getByTestId('doctext').waitFor();
    });

    const tag = 'ui-test-tag';
    await step('tag the document, note and star it', async () => {
      await page.getByTestId('tag-input').fill(tag);
      await page.getByTestId('tag-input').press('Enter');
      await page.locator('[data-testid="tags"] .chip', { hasText: tag }).waitFor();
      await page.getByLabel('New note').fill("<img src=x onerror=alert('note')> a note");
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.locator('.note-text', { hasText: "onerror=alert('note')" }).waitFor();
      await page.getByTestId('star').click();
      await page.locator('[data-testid="star"][aria-pressed="true"]').waitFor();
      await checkInert('the tagged document');
    });

    await step('find the document by tag:, save the search, list the starred', async () => {
      await page.goto(`${base}/search?q=`);
      await waitIdle(page);
      const total = await searchFor(page, `tag:${tag}`);
      assert.equal(total, 1);
      assert.equal(await text(page.getByTestId('hit-title')), docTitle);
      // Save this search, then find it again in the sidebar.
      await page.getByRole('button', { name: 'Save this search' }).click();
      await page.getByLabel('Name of the saved search').fill('tagged by the test');
      await page.getByLabel('Name of the saved search').press('Enter');
      const saved = page.locator('[data-testid="saved-searches"] a', { hasText: 'tagged by the test' });
      await saved.waitFor();
      assert.match(await saved.getAttribute('href'), /q=tag%3Aui-test-tag/);
      // The starred document is one click away.
      await page.locator('a', { hasText: '1 starred document' }).click();
      await waitIdle(page);
      assert.equal(await totalOf(page), 1);
      assert.equal(await text(page.getByTestId('hit-title')), docTitle);
      await page.getByTestId('hit-title').click();
      await page.getByTestId('doctext').waitFor();
      assert.equal(new URL(page.url()).pathname, new URL(docUrl).pathname);
    });

    await step('the starred list names the documents', async () => {
      await page.goto(`${base}/search?q=`);
      await waitIdle(page);
      const item = page.getByTestId('starred-list').locator('a');
      await item.first().waitFor();
      assert.equal(await text(item.first()), docTitle);
      await item.first().click();
      await page.getByTestId('doctext').waitFor();
      assert.equal(new URL(page.url()).pathname, new URL(docUrl).pathname);
    });

    await step('an entity page draws its co-mentions', async () => {
      await page.goto(`${base}/entity?type=person&value=${encodeURIComponent('Nicolas Sarkozy')}`);
      await page.locator('[data-testid="entity-graph"] [data-testid="graph-canvas"][data-ready="true"]').waitFor();
      const nodes = Number(await page.getByTestId('graph-canvas').getAttribute('data-nodes'));
      assert.ok(nodes >= 2, `${nodes} nodes`);
      await checkInert('the entity graph');
    });

    await step('the ingest page retries the failures', async () => {
      await page.goto(`${base}/status`);
      await page.getByTestId('failures').waitFor();
      const before = await page.getByTestId('failures').locator('tbody tr').count();
      assert.ok(before > 0, 'the samples have failures to retry');
      await page.getByTestId('retry-start').click();
      // The page follows the run until it ends, then lists what still fails.
      await page.locator('[data-testid="retry-state"]', { hasText: /finished|stopped/ }).waitFor({ timeout: 300_000 });
      assert.match(await text(page.getByTestId('retry-state')), /finished/);
      await page.getByTestId('failures').waitFor();
      const after = await page.getByTestId('failures').locator('tbody tr').count();
      assert.ok(after > 0 && after <= before, `failures: ${before} before, ${after} after`);
      await checkInert('the retry');
    });

    await step('batch search counts each line', async () => {
      await page.goto(`${base}/batch`);
      // The list comes from a file, as a newsroom's list of names would.
      await page.locator('input[type="file"]').setInputFiles({
        name: 'names.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('zebrafish\nelection\nqqxyzzynothing\n\n"unclosed'),
      });
      await page.waitForFunction(
        () => document.querySelector('[data-testid="batch-input"]')?.value.startsWith('zebrafish'),
      );
      await page.getByTestId('batch-run').click();
      const rows = page.locator('[data-testid="batch-results"] tbody tr');
      await rows.nth(3).waitFor();
      assert.equal(await rows.count(), 4);
      const cells = await rows.evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
      assert.equal(cells[0][0], 'zebrafish');
      assert.ok(Number(cells[0][1].replace(/[~,]/g, '')) >= 4, `zebrafish: ${cells[0][1]}`);
      assert.ok(Number(cells[1][1].replace(/[~,]/g, '')) >= 1, `election: ${cells[1][1]}`);
      assert.equal(cells[2][1], '0');
      const download = page.waitForEvent('download');
      await page.getByTestId('batch-csv').click();
      const csv = fs.readFileSync(await (await download).path(), 'utf8');
      assert.match(csv, /^query,documents,error\r\n"zebrafish",\d+,/);
    });

    await step('the ingest page lists counts and failures', async () => {
      await page.goto(`${base}/status`);
      await page.getByTestId('status-summary').waitFor();
      assert.match(await text(page.getByTestId('status-summary')), /\d+ documents from \d+ source files/);
      await page.getByTestId('failures').waitFor();
      await checkInert('the ingest page');
    });

    await step('a watch list is uploaded, an ingest finds a name of it, the hit opens', async () => {
      const listName = "suspects <img src=x onerror=alert('listname')>";
      await page.goto(`${base}/search?q=zebrafish`);
      await page.getByRole('link', { name: 'Watch lists' }).click();
      await page.getByTestId('no-watchlists').waitFor();
      // Upload: line 4 cannot be read; the file name is a script payload, shown as text.
      await page.getByLabel('List name').fill(listName);
      await page.getByLabel('List file').setInputFiles({
        name: "<img src=x onerror=alert('listfile')>.csv",
        mimeType: 'text/csv',
        buffer: Buffer.from('id,name,type\nw1,Whitney Webb,Person\nw2,Boris Johnson,Person\nw3,too,many,fields\n'),
      });
      await page.getByTestId('watchlist-upload-submit').click();
      await page.getByTestId('upload-problems').waitFor();
      assert.match(
        await text(page.getByTestId('upload-problems')),
        /<img src=x onerror=alert\('listfile'\)>\.csv:4: 4 fields where the header has 3 \(line skipped\)/,
      );
      assert.match(await text(page.getByTestId('upload-result')), /2 entries/);
      await page.getByTestId('watch-hits-summary').waitFor();
      assert.match(await text(page.getByTestId('watch-hits-summary')), /^0 hits/);
      assert.equal(await text(page.getByTestId('watch-hits-list')), listName);
      await checkInert('the watch lists page after an upload');

      // An ingest after the list, with the server running: its new document names Whitney Webb.
      const later = path.join(work, 'later');
      fs.mkdirSync(later);
      fs.writeFileSync(path.join(later, 'watch-note.txt'), 'Minutes of the zebrafish board. Present: Whitney Webb.\n');
      run(['ingest', '--collection', collection, later]);
      await page.reload();
      const hit = page.getByTestId('watch-hit').first();
      await hit.waitFor();
      assert.equal(await page.getByTestId('watch-entry').count(), 1, 'one entry found: Whitney Webb');
      assert.equal(await text(page.getByTestId('watch-entry-name')), 'Whitney Webb');
      assert.match(await text(hit.getByTestId('watch-kind')), /^(exact|phrase)$/);
      assert.match(await text(hit), /new/);
      assert.match(await text(page.locator('[data-testid="watchlists"] tbody tr').first()), /1 new/);
      // Only the latest run's: the same hit (it is that run's).
      await page.getByTestId('watch-new').check();
      await page.waitForFunction(() => new URLSearchParams(location.search).get('new') === '1');
      await page.getByTestId('watch-hit').first().waitFor();
      // The document opens from the hit.
      await page.getByTestId('watch-doc').first().click();
      await page.waitForURL(/\/doc\/[0-9a-f]{32}/);
      await page.getByTestId('doctext').waitFor();
      assert.match(await text(page.getByTestId('doctext')), /Whitney Webb/);
      await page.goBack();
      // The cross-reference also finds the article ingested before the list.
      await page.getByTestId('xref-run').click();
      await page.getByTestId('xref-summary').waitFor();
      const xref = await text(page.getByTestId('xref'));
      assert.match(xref, /Whitney Webb/);
      assert.doesNotMatch(xref, /Boris Johnson/);
      await checkInert('the watch list hits');
      // Delete, confirmed in the page (no dialog).
      await page.getByTestId('watchlist-delete').click();
      await page.getByTestId('watchlist-delete-confirm').click();
      await page.getByTestId('no-watchlists').waitFor();
      await checkInert('the watch lists page after a delete');
    });

    await step('team mode: log in and out', async () => {
      const out = run(['user', 'add', 'alice', '--role', 'editor', '--collection', collection], kPassword + '\n');
      assert.match(out, /team mode/);
      await page.goto(`${base}/search?q=zebrafish`);
      await page.getByLabel('Name').waitFor();
      await page.getByLabel('Name').fill('alice');
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').waitFor();
      assert.match(await text(page.getByRole('alert')), /wrong name or password/);
      await page.getByLabel('Password').fill(kPassword);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.locator('.topbar .user', { hasText: 'alice' }).waitFor();
      await waitIdle(page);
      assert.ok((await totalOf(page)) >= 4, 'logged in, the search answers');
      // An editor can tag.
      await page.getByTestId('hit-title').first().click();
      await page.getByTestId('tag-input').fill('team-tag');
      await page.getByTestId('tag-input').press('Enter');
      await page.locator('[data-testid="tags"] .chip', { hasText: 'team-tag' }).waitFor();
      await page.getByTestId('logout').click();
      await page.getByLabel('Password').waitFor();
      const status = await page.evaluate(async () => (await fetch('/api/search?q=zebrafish')).status);
      assert.equal(status, 401, 'logged out, the API refuses');
      await page.reload();
      await page.getByLabel('Password').waitFor();
      await checkInert('the login page');
    });

    await step('team mode: an admin sees the accounts and the audit log', async () => {
      run(['user', 'add', 'root', '--role', 'admin', '--collection', collection], kPassword + '\n');
      await page.getByLabel('Name').fill('root');
      await page.getByLabel('Password').fill(kPassword);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('link', { name: 'Accounts' }).click();
      await page.locator('[data-testid="users"] td', { hasText: 'alice' }).waitFor();
      await page.locator('[data-testid="audit"] td', { hasText: 'login' }).first().waitFor();
      const audit = await text(page.getByTestId('audit'));
      assert.match(audit, /alice/);
      assert.match(audit, /zebrafish/, 'the audit log names what was searched');
      await page.getByTestId('logout').click();
      await page.getByLabel('Password').waitFor();
      await checkInert('the accounts page');
    });

    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await browser.close().catch(() => {});
    server.kill('SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`browser test: ${stepCount} steps passed`);
}

main().catch((error) => {
  console.error(`\nFAILED: ${error.stack ?? error}`);
  process.exit(1);
});
