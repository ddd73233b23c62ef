// Drives the admin page in Debian's chromium (headless) with puppeteer-core, for AdminPageIT.
// Usage: node admin-page.mjs <gateway base URL> <admin token> <screenshot dir> <load URL>
// Prints one JSON line: what the page showed without a token, with it, and whether a chart moved under load.
import puppeteer from 'puppeteer-core';

const [base, token, shots, loadUrl] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await puppeteer.launch({
  executablePath, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
const out = { requests: [] };
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  // every request the page makes must go to the gateway itself: no CDN, no fonts, nothing else
  page.on('request', r => { if (!r.url().startsWith('about:')) out.requests.push(r.url()); });

  await page.goto(base + '/admin/ui', { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.state === 'refused', { timeout: 15000 });
  out.withoutToken = await page.evaluate(() => ({
    refusedShown: getComputedStyle(document.getElementById('refused')).display !== 'none',
    dataHidden: document.getElementById('data').hidden,
    upstreamRows: document.querySelectorAll('#upstreams tr').length,
  }));
  await page.screenshot({ path: shots + '/admin-refused.png' });

  await page.goto('about:blank');
  await page.goto(base + '/admin/ui#token=' + encodeURIComponent(token), { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.state === 'loaded'
    && document.querySelectorAll('#upstreams tr').length >= 2, { timeout: 15000 });
  out.withToken = await page.evaluate(() => ({
    url: location.href,
    upstreams: Object.fromEntries([...document.querySelectorAll('#upstreams tr')]
      .map(tr => [tr.dataset.upstream, tr.dataset.state])),
    poolRows: document.querySelectorAll('#pool tr').length,
  }));

  // load: the gateway's own endpoint, called from the page's origin while the chart is watched
  const before = await page.evaluate(() => Number(document.getElementById('chart-rate').dataset.last || 0));
  const started = Date.now();
  let peak = before;
  while (Date.now() - started < 12000 && peak <= 0) {
    await page.evaluate(async (url) => {
      // 2026-07-28 tools/list requests, each a complete stateless request
      const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'admin-page-load', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {} };
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta } });
      const calls = [];
      for (let i = 0; i < 50; i++) {
        calls.push(fetch(url, { method: 'POST', body, headers: {
          'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
          'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/list' } }).catch(() => null));
      }
      await Promise.all(calls);
    }, loadUrl);
    peak = Math.max(peak, await page.evaluate(() => Number(document.getElementById('chart-rate').dataset.last || 0)));
  }
  out.chart = { before, peak, points: await page.evaluate(() => document.getElementById('chart-rate').dataset.count) };
  await page.screenshot({ path: shots + '/admin-page.png', fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
