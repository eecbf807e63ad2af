// An auditor's and a buyer's path to an invoice's evidence in a real
// browser: sign in, download the signed evidence file and check it
// offline with gureumctl verify-invoice; get the PDF invoice and look at
// it as an image (pdftoppm, shown in the browser and screenshotted); a
// tampered copy of the download fails; a draft's evidence is refused with
// a page that says why, in Korean and in English. The invoices are set up
// as in tests/integration/evidence-lib.mjs (issued by the month close of
// another branch). Screenshots go to tests/artifacts/.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';
import { withdrawTestListings } from '../integration/metering-lib.mjs';
import { CTL, marketplaceKey, seal, sampleInvoices, waitSealed } from '../integration/evidence-lib.mjs';

const DEMO = 'Gureum-demo-2026!';
const RUN = `evb${Date.now().toString(36)}`;
const TMP = path.join(process.env.STATE_DIR ?? path.resolve('var/test'), `evidence-${RUN}`);
let browser;
let key;
let inv;

before(async () => {
  browser = await launch();
  key = marketplaceKey(TMP);
  ({ inv } = await sampleInvoices(RUN, 'b'));
  seal(key.file);
  await waitSealed([inv.oct, inv.nov, inv.cn]);
});
after(async () => {
  await browser?.close();
  withdrawTestListings(RUN);
  fs.rmSync(TMP, { recursive: true, force: true });
});

async function as(email, opts = {}) {
  const page = await newPage(browser, { acceptDownloads: true, ...opts });
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', DEMO);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/home$/);
  return page;
}

const shot = (page, name) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

// Follows a link to a file and returns what the browser saved.
async function downloadVia(page, href) {
  await page.setContent(`<a id="f" href="${BASE}${href}">증빙 내려받기</a>`);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#f')]);
  const file = path.join(TMP, dl.suggestedFilename());
  await dl.saveAs(file);
  return { file, name: dl.suggestedFilename() };
}

test('an auditor downloads the evidence and verifies it offline; a tampered copy fails', async () => {
  const page = await as('auditor@pps.go.kr');
  await page.goto(BASE + '/home');
  const { file, name } = await downloadVia(page, `/invoices/${inv.oct}/evidence.json`);
  assert.match(name, /^gureum-invoice-\d+-2026-\d{6}-evidence\.json$/);
  let r = spawnSync(CTL, ['verify-invoice', file, '--key', key.pub64], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^OK: .*supply 1277, VAT 127, total 1404 won/);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  doc.bundle.totals.total_won = '1304';
  fs.writeFileSync(`${file}.tampered`, JSON.stringify(doc));
  r = spawnSync(CTL, ['verify-invoice', `${file}.tampered`, '--key', key.pub64], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /totals\.total_won: 합계 is 공급가액 \+ 부가세 \(expected 1404, found 1304\)/);
  // What the auditor saw: the file as the browser shows it.
  await page.goto(`${BASE}/api/v1/invoices/${inv.oct}/evidence.json`);
  assert.ok((await page.content()).includes('"format":"gureum-invoice-evidence/1"'));
  await shot(page, 'evidence-json-auditor');
  // (Chromium asks for /favicon.ico beside a JSON document: a 404 there.)
  assert.deepEqual(page.problems.filter((p) => !p.includes('404')), []);
});

test('the buyer gets the Korean PDF invoice and it reads as Korean when rendered', async () => {
  const page = await as('buyer@mois.go.kr');
  const res = await page.request.get(`${BASE}/invoices/${inv.oct}/invoice.pdf`);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  const pdf = path.join(TMP, 'invoice.pdf');
  fs.writeFileSync(pdf, await res.body());
  execFileSync('pdftoppm', ['-r', '110', '-png', '-f', '1', '-l', '1', pdf, path.join(TMP, 'page')]);
  const png = fs.readdirSync(TMP).find((f) => f.startsWith('page') && f.endsWith('.png'));
  fs.copyFileSync(path.join(TMP, png), `${ARTIFACTS}evidence-invoice-pdf-page1.png`);
  // Shown in the browser as the image it is, and screenshotted.
  const data = fs.readFileSync(path.join(TMP, png)).toString('base64');
  await page.setContent(`<img id="p" src="data:image/png;base64,${data}" alt="청구서">`);
  const size = await page.locator('#p').evaluate((img) => [img.naturalWidth, img.naturalHeight]);
  assert.ok(size[0] > 800 && size[1] > 1200, `${size}`);
  await shot(page, 'evidence-invoice-pdf-in-browser');
  const text = execFileSync('pdftotext', ['-q', '-layout', pdf, '-'], { encoding: 'utf8' });
  for (const s of ['청구서', '공급가액', '부가세', '합계금액', '1,404원', 'Supply amount'])
    assert.ok(text.includes(s), s);
});

test('a draft has no evidence yet: the page says so in Korean and in English', async () => {
  const page = await as('approver@mois.go.kr');
  let res = await page.goto(`${BASE}/invoices/${inv.draft}/evidence.json`);
  assert.equal(res.status(), 409);
  assert.ok((await page.content()).includes('초안 청구서에는 아직 증빙이 없습니다'));
  await shot(page, 'evidence-draft-ko');
  await page.goto(`${BASE}/lang?set=en&next=/home`);
  res = await page.goto(`${BASE}/invoices/${inv.draft}/evidence.json`);
  assert.equal(res.status(), 409);
  assert.ok((await page.content()).includes('A draft invoice has no evidence yet'));
  await shot(page, 'evidence-draft-en');
  // Another agency's user: the invoice does not exist for them.
  const other = await as('buyer@msit.go.kr');
  res = await other.goto(`${BASE}/invoices/${inv.oct}/invoice.pdf`);
  assert.equal(res.status(), 404);
});
