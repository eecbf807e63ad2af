// The listing journeys in a real browser: a vendor drafts a service with a
// rate plan (first with broken tiers and a script in the text, which come
// back as errors and escaped text), previews the description, saves and
// submits it; a reviewer finds it in the queue, scores the checklist and
// approves it; it appears in search and on its service page. A second
// listing is rejected with reasons the vendor then reads on its page, in
// English. Screenshots go to tests/artifacts/. The listings made here are
// withdrawn at the end so the demo counts stay as they were.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';
import { pdf } from '../integration/pdf.mjs';

const PASSWORD = 'Gureum-demo-2026!';
const DB = process.env.GUREUM_DATABASE;
const TAG = `b${Date.now() % 1000000}`;
const NAME = `구름협업 ${TAG}`;
const made = [];

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

let browser;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  if (made.length > 0)
    sql(`UPDATE listings SET status = 'withdrawn' WHERE id IN (${made.join(',')})`);
});

// Console errors and CSP violations, less the 4xx answers this test causes
// on purpose and Chromium's own /favicon.ico probe after a form POST.
function problems(page) {
  return page.problems.filter((p, i) => !/status of 40[039]/.test(p) && !page.favicon.includes(i));
}

async function open(opts) {
  const page = await newPage(browser, opts);
  page.favicon = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && m.location().url.endsWith('/favicon.ico'))
      page.favicon.push(page.problems.length - 1);
  });
  return page;
}

async function signIn(page, email) {
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/home$/);
}

async function within(ms, check) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms)
      assert.fail(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let listingId;

test('a vendor drafts a listing with a rate plan, fixes broken tiers and submits it', async () => {
  const page = await open({ viewport: { width: 1280, height: 900 } });
  await signIn(page, 'admin@hanbit.example');
  await page.goto(BASE + '/vendor/listings');
  await page.click('a[data-action="new-listing"]');
  await page.waitForURL(/\/vendor\/listings\/new$/);

  await page.selectOption('#service_type', 'saas');
  await page.selectOption('#category_id', '301');
  await page.fill('#name_ko', `${NAME} <script>alert(1)</script>`);
  await page.fill('#name_en', `Gureum Collaboration ${TAG}`);
  await page.fill('#summary_ko', '공공기관을 위한 메신저와 일정 관리');
  await page.fill('#summary_en', 'Messenger and calendars for agencies');
  await page.fill('#description_ko', '## 주요 기능\n\n- **메신저**\n- 일정 공유\n\n<script>alert("x")</script>');
  await page.fill('#features_ko', '메신저\n일정 공유\n전자결재 연동');
  await page.selectOption('#deployment_model', 'public');
  await page.selectOption('#dc_location', 'domestic');
  await page.fill('#dc_region', 'Seoul');
  await page.fill('#runs_on', '1');
  await page.fill('#availability_target', '99.9');
  await page.selectOption('#recovery_grade_hours', '4');
  await page.selectOption('#support_hours', '24x7');
  await page.check('#support_channels-phone');
  await page.check('#support_channels-email');
  await page.fill('#min_contract_months', '12');
  await page.selectOption('#contract_unit', 'monthly');
  // The rate plan: users in graduated tiers, the second limit wrong.
  await page.fill('#d0_code', 'active_user');
  await page.fill('#d0_unit_ko', '사용자');
  await page.fill('#d0_unit_en', 'user');
  await page.selectOption('#d0_aggregation', 'unique_count');
  await page.selectOption('#d0_model', 'graduated');
  await page.fill('#d0_reference_quantity', '100');
  await page.fill('#d0_t0_up_to', '50');
  await page.fill('#d0_t0_unit_price', '7643');
  await page.fill('#d0_t1_up_to', '20');
  await page.fill('#d0_t1_unit_price', '5350.1');
  await page.fill('#d0_t2_unit_price', '-1');
  await page.fill('#c0_below', '99.9');
  await page.fill('#c0_share', '10');

  // More rows, without JavaScript: the form comes back with what was typed.
  assert.equal(await page.locator('#d2_code').count(), 0);
  await page.click('button[data-action="more-rows"]');
  await page.waitForLoadState();
  assert.equal(await page.locator('#d2_code').count(), 1);
  assert.equal(await page.inputValue('#d0_t1_unit_price'), '5350.1');
  assert.equal(await page.inputValue('#c0_share'), '10');

  // Preview first: the description is rendered, the script is not.
  await page.click('button[data-action="preview"]');
  await page.waitForLoadState();
  assert.match(await page.locator('[data-preview="ko"]').innerHTML(), /<strong>메신저<\/strong>/);
  assert.equal(await page.locator('[data-preview="ko"] script').count(), 0);
  await page.screenshot({ path: ARTIFACTS + 'listing-preview.png', fullPage: true });

  await page.click('button[data-action="save"]');
  await page.waitForLoadState();
  assert.ok(await page.locator('.error-summary').isVisible());
  assert.match(await page.locator('.error-summary').innerText(), /2구간/);
  assert.equal(await page.getAttribute('#d0_t1_up_to', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#d0_t1_up_to'), '20', 'the input is kept');
  assert.equal(await page.inputValue('#summary_ko'), '공공기관을 위한 메신저와 일정 관리');
  await page.screenshot({ path: ARTIFACTS + 'listing-broken-tiers.png', fullPage: true });

  await page.fill('#d0_t1_up_to', '200');
  await page.click('button[data-action="save"]');
  await page.waitForLoadState();
  // Now the negative price of the third tier.
  assert.equal(await page.getAttribute('#d0_t2_unit_price', 'aria-invalid'), 'true');
  assert.match(await page.locator('.error-summary').innerText(), /3구간/);
  await page.fill('#d0_t2_unit_price', '4000');
  await page.click('button[data-action="save"]');
  await page.waitForURL(/\/vendor\/listings\/\d+\?done=created$/);
  listingId = Number(page.url().match(/listings\/(\d+)/)[1]);
  made.push(listingId);

  // The page shows the name escaped and the plan.
  const h1 = await page.locator('h1').innerText();
  assert.match(h1, /<script>alert\(1\)<\/script>/, 'the script is shown as text');
  assert.equal(await page.locator('main script').count(), 0);
  assert.equal(await page.locator('h1 .tag').getAttribute('data-status'), 'draft');
  assert.match(await page.locator('[data-field="price"]').innerText(), /[0-9,]+ 원/);
  await page.screenshot({ path: ARTIFACTS + 'listing-draft.png', fullPage: true });

  await page.click('button[data-action="submit"]');
  await page.waitForURL(/\?done=submitted$/);
  assert.equal(await page.locator('h1 .tag').getAttribute('data-status'), 'submitted');
  assert.equal(sql(`SELECT status || ' ' || current_version FROM listings WHERE id = ${listingId}`),
    'submitted 1');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('a reviewer scores the checklist and approves; the listing is public', async () => {
  assert.ok(listingId, 'the first test made a listing');
  const page = await open({ viewport: { width: 1280, height: 900 } });
  await signIn(page, 'reviewer@pps.go.kr');
  await page.goto(BASE + '/review');
  const row = page.locator(`tr[data-kind="listing_submission"][data-object-id="${listingId}"]`);
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /분|시간|일/, 'the time waited');
  await page.screenshot({ path: ARTIFACTS + 'review-queue.png', fullPage: true });
  await row.locator('a').click();
  await page.waitForURL(new RegExp(`/review/listings/${listingId}$`));
  assert.ok((await page.locator('.diff-table').innerText()).includes('active_user'));

  // Approving with nothing ticked is refused; the page says why.
  await page.click('button[data-decision="approve"]');
  await page.waitForLoadState();
  assert.match(await page.locator('.error-summary').innerText(), /필수 항목/);
  const boxes = page.locator('#checklist input[type="checkbox"]');
  for (let i = 0; i < await boxes.count(); i++)
    await boxes.nth(i).check();
  await page.screenshot({ path: ARTIFACTS + 'review-checklist.png', fullPage: true });
  await page.click('button[data-decision="approve"]');
  await page.waitForURL(/\?done=approved$/);
  assert.equal(await page.locator('h1 .tag').getAttribute('data-status'), 'published');
  assert.match(await page.locator('main').innerText(), /100%/);
  await page.screenshot({ path: ARTIFACTS + 'review-approved.png', fullPage: true });

  // Search finds it; the service page shows it.
  await within(5000, async () => {
    await page.goto(BASE + '/search?q=' + encodeURIComponent(TAG));
    return (await page.locator('main').innerText()).includes(TAG);
  });
  await page.screenshot({ path: ARTIFACTS + 'listing-in-search.png', fullPage: true });
  const res = await page.goto(BASE + `/services/${listingId}`);
  assert.equal(res.status(), 200);
  assert.ok((await page.locator('main').innerText()).includes(NAME));
  await page.screenshot({ path: ARTIFACTS + 'listing-service-page.png', fullPage: true });
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('the new listing gets its CSAP certificate in the browser; once verified the public page shows the badge', async () => {
  assert.ok(listingId, 'the first test made a listing');
  const number = `CSAP-SaaS-${TAG}`;
  const page = await open({ viewport: { width: 1280, height: 1000 } });
  await signIn(page, 'admin@hanbit.example');
  await page.goto(BASE + '/vendor/certificates/new');
  await page.selectOption('#scheme', 'csap');
  await page.selectOption('#listing_id', String(listingId));
  await page.selectOption('#csap_type', 'saas_standard');
  await page.selectOption('#grade', 'medium');
  await page.fill('#number', number);
  await page.fill('#issuer', '한국인터넷진흥원 (KISA)');
  const day = (n) => new Date(Date.now() + 9 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
  await page.fill('#issue_date', day(-3));
  await page.fill('#expiry_date', day(3 * 365));
  await page.setInputFiles('#evidence', { name: 'csap.pdf', mimeType: 'application/pdf', buffer: pdf('CSAP') });
  await page.click('form[data-form="certificate"] button[type="submit"]');
  await page.waitForURL(/\/vendor\/certificates\?done=submitted$/);
  const certId = Number(await page.locator('tr[data-cert-id]', { hasText: number }).getAttribute('data-cert-id'));
  await page.context().close();

  const rev = await open({ viewport: { width: 1280, height: 1000 } });
  await signIn(rev, 'reviewer@pps.go.kr');
  await rev.goto(BASE + `/review/certificates/${certId}`);
  await rev.click('button[data-decision="verify"]');
  await rev.waitForURL(new RegExp(`/review/certificates/${certId}\\?done=verify$`));
  await rev.context().close();

  const pub = await open({ viewport: { width: 1280, height: 1000 } });
  await within(3000, async () => {
    await pub.goto(BASE + `/services/${listingId}`);
    return (await pub.locator('main').innerText()).includes(number);
  });
  assert.match(await pub.locator('main').innerText(), /CSAP/);
  await pub.screenshot({ path: ARTIFACTS + 'listing-with-csap.png', fullPage: true });
  await pub.context().close();
});

test('a reviewer rejects another listing with reasons the vendor reads (in English too)', async () => {
  const vendor = await open({ viewport: { width: 1280, height: 900 } });
  await signIn(vendor, 'staff@hanbit.example');
  // A complete draft made through the API with the browser's session.
  const me = await (await vendor.request.get(BASE + '/api/v1/me')).json();
  const body = { service_type: 'iaas', category_id: 102, name_ko: `반려될 스토리지 ${TAG}`,
    name_en: `Storage ${TAG}`, summary_ko: '저장소', summary_en: 'Storage', description_ko: '설명',
    deployment_model: 'public', dc_location: 'domestic', availability_target: '99.5',
    support_hours: 'business_hours', min_contract_months: 1, contract_unit: 'usage',
    rate_plan: { dimensions: [{ code: 'gb_month', unit_ko: 'GB·월', unit_en: 'GB-month',
      aggregation: 'max', model: 'volume', charge_at_zero: false, reference_quantity: '1000',
      tiers: [{ up_to: '1000', unit_price: '30', flat_fee: '0' }, { up_to: null, unit_price: '20', flat_fee: '0' }] }] } };
  let r = await vendor.request.post(BASE + '/api/v1/vendor/listings', { data: body,
    headers: { 'x-csrf-token': me.csrf } });
  assert.equal(r.status(), 201);
  const id = (await r.json()).id;
  made.push(id);
  r = await vendor.request.post(BASE + `/api/v1/vendor/listings/${id}/submit`, { data: {},
    headers: { 'x-csrf-token': me.csrf } });
  assert.equal(r.status(), 200);

  const rev = await open({ viewport: { width: 1280, height: 900 } });
  await signIn(rev, 'reviewer@pps.go.kr');
  await rev.goto(BASE + `/review/listings/${id}`);
  // Reject without reasons: refused, ticks kept.
  await rev.check('#item_0');
  await rev.click('button[data-decision="reject"]');
  await rev.waitForLoadState();
  assert.match(await rev.locator('.error-summary').innerText(), /사유/);
  assert.ok(await rev.isChecked('#item_0'));
  const reasons = 'CSAP 인증서가 첨부되지 않았습니다. <b>증빙</b>을 제출하세요.';
  await rev.fill('#reasons', reasons);
  await rev.click('button[data-decision="reject"]');
  await rev.waitForURL(/\?done=rejected$/);
  assert.equal(await rev.locator('h1 .tag').getAttribute('data-status'), 'rejected');
  await rev.context().close();

  await vendor.goto(BASE + `/vendor/listings/${id}`);
  assert.equal(await vendor.locator('h1 .tag').getAttribute('data-status'), 'rejected');
  const note = vendor.locator('[data-decision="rejected"] .listing-reasons');
  assert.equal(await note.innerText(), reasons, 'the reasons, as text');
  await vendor.screenshot({ path: ARTIFACTS + 'listing-rejected-vendor.png', fullPage: true });
  // The same page in English.
  await vendor.goto(BASE + `/lang?set=en&next=${encodeURIComponent(`/vendor/listings/${id}`)}`);
  await vendor.waitForURL(new RegExp(`/vendor/listings/${id}$`));
  const text = await vendor.locator('main').innerText();
  assert.match(text, /Review decision: Rejected/);
  assert.ok(text.includes(reasons));
  await vendor.screenshot({ path: ARTIFACTS + 'listing-rejected-vendor-en.png', fullPage: true });
  assert.deepEqual(problems(vendor), []);
  await vendor.context().close();
});
