// Certificates in a real browser: a vendor submits a CSAP certificate with
// its evidence PDF (after first choosing a PNG renamed .pdf, which the page
// refuses with a clear message and the input kept), a reviewer verifies it,
// then revokes it with a reason (after first forgetting the reason), and
// the vendor reads that reason. A vendor also uploads a listing document.
// Screenshots go to tests/artifacts/.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';
import { pdf, PNG } from '../integration/pdf.mjs';

const PASSWORD = 'Gureum-demo-2026!';
const DB = process.env.GUREUM_DATABASE;
const NUMBER = `CSAP-IaaS-2026-${String(Date.now() % 100000).padStart(5, '0')}`;
const REASON = '인증기관(KISA)이 사후평가 미이행으로 인증을 취소했습니다.';

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

function kstDay(n) {
  return new Date(Date.now() + 9 * 3600 * 1000 + n * 86400 * 1000).toISOString().slice(0, 10);
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Chromium logs every 4xx page load as a console error; those are on purpose.
function problems(page) {
  return page.problems.filter((p) => !/status of 4\d\d/.test(p));
}

async function signIn(page, email) {
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/home$/);
}

let certId;

test('a vendor submits a CSAP certificate with its PDF; a non-PDF is refused clearly', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 1000 } });
  await signIn(page, 'admin@hanbit.example');
  await page.goto(BASE + '/vendor/certificates');
  await page.screenshot({ path: ARTIFACTS + 'cert-vendor-list.png', fullPage: true });
  await page.click('a[href="/vendor/certificates/new"]');
  await page.waitForURL(/\/vendor\/certificates\/new$/);
  await page.selectOption('#scheme', 'csap');
  await page.selectOption('#listing_id', '3');
  await page.selectOption('#csap_type', 'iaas');
  await page.selectOption('#grade', 'medium');
  await page.fill('#number', NUMBER);
  await page.fill('#issuer', '한국인터넷진흥원 (KISA)');
  await page.fill('#issue_date', kstDay(-7));
  await page.fill('#expiry_date', kstDay(5 * 365));
  await page.setInputFiles('#evidence', { name: 'csap-certificate.pdf', mimeType: 'application/pdf', buffer: PNG });
  await page.click('form[data-form="certificate"] button[type="submit"]');
  await page.waitForLoadState();
  assert.ok(await page.locator('.error-summary').isVisible());
  assert.match(await page.locator('#evidence-error').innerText(), /PDF 파일만 올릴 수 있습니다/);
  assert.equal(await page.getAttribute('#evidence', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#number'), NUMBER, 'the input is kept');
  assert.equal(await page.inputValue('#listing_id'), '3');
  assert.equal(await page.inputValue('#grade'), 'medium');
  await page.screenshot({ path: ARTIFACTS + 'cert-submit-not-pdf.png', fullPage: true });

  // A real PDF, as Chromium prints one (cross-reference streams and all).
  const printer = await (await browser.newContext()).newPage();
  await printer.goto(BASE + '/services/3');
  const real = await printer.pdf({ format: 'A4' });
  await printer.context().close();
  assert.equal(real.subarray(0, 5).toString(), '%PDF-');
  await page.setInputFiles('#evidence', { name: 'CSAP 인증서.pdf', mimeType: 'application/pdf',
    buffer: real });
  await page.click('form[data-form="certificate"] button[type="submit"]');
  await page.waitForURL(/\/vendor\/certificates\?done=submitted$/);
  assert.match(await page.locator('.notice--success').innerText(), /심사를 기다립니다/);
  const row = page.locator('tr[data-cert-id]', { hasText: NUMBER });
  assert.equal(await row.getAttribute('data-status'), 'pending');
  certId = Number(await row.getAttribute('data-cert-id'));
  assert.equal(sql(`SELECT status || ' ' || listing_id || ' ' || grade FROM certificates WHERE id = ${certId}`),
    'pending 3 medium');
  assert.equal(sql(`SELECT d.size_bytes FROM certificates c JOIN documents d ON d.id = c.evidence_document_id
    WHERE c.id = ${certId}`), String(real.length));
  await page.screenshot({ path: ARTIFACTS + 'cert-submitted.png', fullPage: true });
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('a reviewer verifies it, then revokes it with a reason the vendor sees', async () => {
  assert.ok(certId, 'the first test submitted a certificate');
  const page = await newPage(browser, { viewport: { width: 1280, height: 1000 } });
  await signIn(page, 'reviewer@pps.go.kr');
  await page.goto(BASE + '/review/certificates');
  await page.screenshot({ path: ARTIFACTS + 'cert-review-queue.png', fullPage: true });
  await page.click(`tr[data-cert-id="${certId}"] a`);
  await page.waitForURL(new RegExp(`/review/certificates/${certId}$`));
  assert.match(await page.locator('main').innerText(), new RegExp(NUMBER));
  assert.equal(await page.locator('a[data-evidence]').innerText(), 'CSAP 인증서.pdf');
  await page.click('button[data-decision="verify"]');
  await page.waitForURL(new RegExp(`/review/certificates/${certId}\\?done=verify$`));
  assert.equal(await page.locator('h1 .tag').getAttribute('data-status'), 'valid');
  await page.screenshot({ path: ARTIFACTS + 'cert-verified.png', fullPage: true });

  // Revoking without a reason: the form comes back with the error.
  await page.click('button[data-decision="revoke"]');
  await page.waitForLoadState();
  assert.ok(await page.locator('.error-summary').isVisible());
  assert.match(await page.locator('#reason-revoke-error').innerText(), /사유를 입력하세요/);
  assert.equal(await page.locator('.field-error').count(), 1, 'only the revoke form shows it');
  assert.equal(await page.getAttribute('.error-summary a', 'href'), '#reason-revoke');
  await page.screenshot({ path: ARTIFACTS + 'cert-revoke-no-reason.png', fullPage: true });
  await page.fill('#reason-revoke', REASON);
  await page.click('button[data-decision="revoke"]');
  await page.waitForURL(new RegExp(`/review/certificates/${certId}\\?done=revoke$`));
  assert.equal(await page.locator('h1 .tag').getAttribute('data-status'), 'revoked');
  assert.ok((await page.locator('.cert-history').innerText()).includes(REASON));
  assert.deepEqual(problems(page), []);
  await page.context().close();

  const v = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(v, 'staff@hanbit.example');
  await v.goto(BASE + '/vendor/certificates');
  const row = v.locator(`tr[data-cert-id="${certId}"]`);
  assert.equal(await row.getAttribute('data-status'), 'revoked');
  assert.ok((await row.innerText()).includes(REASON));
  await v.click(`tr[data-cert-id="${certId}"] a`);
  const text = await v.locator('main').innerText();
  assert.ok(text.includes(REASON));
  assert.match(text, /조달청 심사/);
  assert.ok(!text.includes('reviewer@pps.go.kr'));
  await v.screenshot({ path: ARTIFACTS + 'cert-vendor-revoked.png', fullPage: true });
  // From a revoked certificate the vendor starts its renewal for the same service.
  await v.click('a[data-renew]');
  await v.waitForURL(/\/vendor\/certificates\/new\?listing=3$/);
  assert.equal(await v.inputValue('#listing_id'), '3');
  assert.equal(JSON.parse(sql('SELECT certificate_badges(3)')).filter((b) => b.number === NUMBER && b.valid).length, 0);
  await v.context().close();
});

test('a vendor uploads a price sheet; a text file is refused; in English', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  await signIn(page, 'admin@hanbit.example');
  await page.goto(BASE + '/vendor/listings/4/documents');
  await page.selectOption('#kind', 'price_sheet');
  await page.setInputFiles('#file', { name: 'prices.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('not a pdf at all\n') });
  await page.click('form[enctype="multipart/form-data"] button[type="submit"]');
  await page.waitForLoadState();
  assert.match(await page.locator('#file-error').innerText(), /Only PDF files can be uploaded/);
  await page.screenshot({ path: ARTIFACTS + 'doc-upload-not-pdf-en.png', fullPage: true });
  await page.setInputFiles('#file', { name: 'Price sheet 2026.pdf', mimeType: 'application/pdf',
    buffer: pdf('Price sheet') });
  await page.click('form[enctype="multipart/form-data"] button[type="submit"]');
  await page.waitForURL(/\/vendor\/listings\/4\/documents\?done=(uploaded|replaced)$/);
  const link = page.locator('tr[data-doc-kind="price_sheet"] a');
  assert.equal(await link.innerText(), 'Price sheet 2026.pdf');
  await page.screenshot({ path: ARTIFACTS + 'doc-uploaded-en.png', fullPage: true });
  const href = await link.getAttribute('href');
  const res = await fetch(BASE + href);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="Price sheet 2026\.pdf"/);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('an oversized PDF is refused with the limit stated, the form still there', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, 'admin@hanbit.example');
  await page.goto(BASE + '/vendor/listings/4/documents');
  await page.selectOption('#kind', 'manual');
  // A real PDF padded past 3 MiB (and under Kore's 4 MiB body limit).
  const big = Buffer.concat([pdf('Manual'), Buffer.alloc(3.2 * 1024 * 1024, 0x20)]);
  await page.setInputFiles('#file', { name: 'manual.pdf', mimeType: 'application/pdf', buffer: big });
  await page.click('form[enctype="multipart/form-data"] button[type="submit"]');
  await page.waitForLoadState();
  assert.match(await page.locator('#file-error').innerText(), /3\s?MiB|3MB|3 MB|3,?145,?728/);
  assert.equal(await page.locator('#kind').count(), 1);
  await page.screenshot({ path: ARTIFACTS + 'doc-upload-too-large.png', fullPage: true });
  await page.context().close();
});
