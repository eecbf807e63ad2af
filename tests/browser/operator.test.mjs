// The procurement office in a real browser: a reviewer works the vendor
// queue (approves one application, rejects another with a reason, after
// first forgetting the reason), then an auditor filters the audit log and
// downloads it as CSV. The two applicants are made here (psql as the
// owner), so the test does not depend on the demo's applied vendors.
// Screenshots go to tests/artifacts/.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';

const PASSWORD = 'Gureum-demo-2026!';
const DB = process.env.GUREUM_DATABASE;
const REASON = '사업자등록증과 클라우드 보안인증(CSAP) 증빙이 제출되지 않았습니다.';

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

// A business registration number with a valid check digit, not yet used.
function bizNo() {
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  for (;;) {
    const d = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
    let sum = d.reduce((s, x, i) => s + x * w[i], 0) + Math.floor(d[8] * 5 / 10);
    const n = d.join('') + ((10 - sum % 10) % 10);
    const f = `${n.slice(0, 3)}-${n.slice(3, 5)}-${n.slice(5)}`;
    if (sql(`SELECT count(*) FROM organisations WHERE biz_no = '${f}'`) === '0')
      return f;
  }
}

// An applicant vendor that has waited `days`; returns its id.
function applicant(nameKo, nameEn, days) {
  return Number(sql(`INSERT INTO organisations (kind, name_ko, name_en, biz_no, company_size,
      address, contact_name, contact_email, contact_phone, website, status, created_at)
    VALUES ('vendor', '${nameKo}', '${nameEn}', '${bizNo()}', 'sme',
      '서울특별시 마포구 월드컵북로 400', '최하늘', 'contact@example.kr', '02-123-4567',
      'https://example.kr', 'applied', now() - interval '${days} days 3 hours')
    RETURNING id`));
}

let browser;
let approveId, rejectId;
before(async () => {
  browser = await launch();
  const tag = Date.now() % 100000;
  approveId = applicant(`구름다리클라우드 ${tag}`, `Gureumdari Cloud ${tag}`, 5);
  rejectId = applicant(`새싹데이터 ${tag}`, `Saessak Data ${tag}`, 2);
});
after(async () => { await browser?.close(); });

// Console errors and CSP violations, less the 400s this test causes on
// purpose (Chromium logs every 4xx page load).
function problems(page) {
  return page.problems.filter((p) => !/status of 400/.test(p));
}

async function signIn(page, email) {
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/home$/);
}

test('a reviewer approves one application and rejects another with a reason', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, 'reviewer@pps.go.kr');
  await page.click('a[data-action="home.action.vendors"]');
  await page.waitForURL(/\/admin\/vendors$/);
  const queue = await page.locator('main').innerText();
  assert.match(queue, /구름다리클라우드/);
  assert.match(queue, /5일 3시간/, 'the time waited');
  // Oldest first: the one that waited 5 days comes before the 2-day one.
  const rows = await page.locator('tr[data-vendor-id]').evaluateAll(
    (trs) => trs.map((tr) => Number(tr.dataset.vendorId)));
  assert.ok(rows.indexOf(approveId) < rows.indexOf(rejectId), `order ${rows}`);
  await page.screenshot({ path: ARTIFACTS + 'admin-vendors-queue.png', fullPage: true });

  await page.click(`tr[data-vendor-id="${approveId}"] a`);
  await page.waitForURL(new RegExp(`/admin/vendors/${approveId}$`));
  assert.match(await page.locator('main').innerText(), /사업자등록번호/);
  await page.click('button[data-decision="approve"]');
  await page.waitForURL(new RegExp(`/admin/vendors/${approveId}\\?done=approve$`));
  assert.match(await page.locator('.notice--success').innerText(), /승인했습니다/);
  assert.equal(await page.locator('h1 .tag').getAttribute('data-status'), 'approved');
  await page.screenshot({ path: ARTIFACTS + 'admin-vendor-approved.png', fullPage: true });

  await page.goto(BASE + '/admin/vendors');
  await page.click(`tr[data-vendor-id="${rejectId}"] a`);
  await page.waitForURL(new RegExp(`/admin/vendors/${rejectId}$`));
  // Forgetting the reason: the form comes back with the error.
  await page.click('button[data-decision="reject"]');
  await page.waitForLoadState();
  assert.ok(await page.locator('.error-summary').isVisible());
  assert.equal(await page.getAttribute('#reason', 'aria-invalid'), 'true');
  assert.match(await page.locator('#reason-error').innerText(), /사유를 입력해 주세요/);
  await page.screenshot({ path: ARTIFACTS + 'admin-vendor-reject-error.png', fullPage: true });
  await page.fill('#reason', REASON);
  await page.click('button[data-decision="reject"]');
  await page.waitForURL(new RegExp(`/admin/vendors/${rejectId}\\?done=reject$`));
  assert.equal(await page.locator('h1 .tag').getAttribute('data-status'), 'rejected');
  assert.ok((await page.locator('main').innerText()).includes(REASON), 'the reason is shown');
  await page.screenshot({ path: ARTIFACTS + 'admin-vendor-rejected.png', fullPage: true });

  await page.goto(BASE + '/admin/vendors?status=rejected');
  assert.match(await page.locator('main').innerText(), /새싹데이터/);
  assert.equal(sql(`SELECT status FROM organisations WHERE id = ${approveId}`), 'approved');
  assert.equal(sql(`SELECT status FROM organisations WHERE id = ${rejectId}`), 'rejected');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('an auditor filters the audit log and downloads it as CSV', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await signIn(page, 'auditor@pps.go.kr');
  await page.click('a[data-action="home.action.audit"]');
  await page.waitForURL(/\/audit$/);
  await page.fill('#actor', 'reviewer@pps.go.kr');
  await page.fill('#action', 'vendor_rejected');
  await page.fill('#object', `organisation:${rejectId}`);
  await page.click('.audit-filters button[type="submit"]');
  await page.waitForURL(/\/audit\?/);
  const rows = page.locator('tr[data-event-id]');
  assert.equal(await rows.count(), 1);
  const row = await rows.first().innerText();
  assert.match(row, /vendor_rejected/);
  assert.match(row, new RegExp(`organisation:${rejectId}`));
  assert.match(row, /reviewer@pps\.go\.kr/);
  assert.match(row, /CSAP/);
  assert.equal(await page.inputValue('#object'), `organisation:${rejectId}`, 'filters kept');
  await page.screenshot({ path: ARTIFACTS + 'audit-filtered.png', fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('a[data-csv]'),
  ]);
  assert.match(download.suggestedFilename(), /^gureum-audit-\d{8}-\d{6}\.csv$/);
  const path = ARTIFACTS + 'audit-export.csv';
  await download.saveAs(path);
  const buf = fs.readFileSync(path);
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = buf.subarray(3).toString('utf8').split('\r\n');
  assert.match(lines[0], /^"번호","시각\(KST\)"/);
  assert.equal(lines.filter((l) => l !== '').length, 2);
  assert.match(lines[1], /"vendor_rejected"/);
  assert.ok(lines[1].includes(REASON));

  // A bad date is refused with the field named, the other filters kept.
  await page.goto(BASE + `/audit?action=vendor_rejected&from=2025-02-30`);
  assert.ok(await page.locator('.error-summary').isVisible());
  assert.equal(await page.getAttribute('.error-summary a', 'href'), '#from');
  assert.equal(await page.inputValue('#action'), 'vendor_rejected');

  // The same page on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(BASE + `/audit?object=organisation:${approveId}`);
  await page.screenshot({ path: ARTIFACTS + 'audit-mobile.png', fullPage: true });
  assert.deepEqual(problems(page), []);
  await page.context().close();
});
