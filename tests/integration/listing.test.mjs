// Vendors' listings and their review, against the real server and
// database: drafts with rate plans over the API and the HTML form, every
// kind of bad input with its exact status and code, another vendor's
// listing as 404, submission (twice: 409; by an unapproved vendor: 403),
// the reviewer's checklist decision, the published-listing change rules
// (price cut at once, text edit at once and queued, raise held for review
// while the old version stays live), versions and their difference,
// suspension and withdrawal reaching search, and the checklist's own
// versions. Every listing made here is withdrawn at the end, so the demo
// counts other tests rely on stay as they were.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Client, signIn, USERS, BASE } from './lib.mjs';

const DB = process.env.GUREUM_DATABASE;
const json = { accept: 'application/json' };
const TAG = `t${Date.now() % 1000000}`;
const made = [];

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

let vendor, staff, other, reviewer, auditor, admin;
async function clients() {
  vendor ??= await signIn(USERS.vendor_admin);
  staff ??= await signIn(USERS.vendor_staff);
  other ??= await signIn(USERS.other_vendor_admin);
  reviewer ??= await signIn(USERS.reviewer);
  auditor ??= await signIn(USERS.auditor);
  admin ??= await signIn(USERS.platform_admin);
}

const plan = (first = '1000', tiers) => ({
  dimensions: [{ code: 'active_user', unit_ko: '사용자', unit_en: 'user', aggregation: 'unique_count',
    model: 'graduated', charge_at_zero: false, reference_quantity: '100',
    tiers: tiers ?? [{ up_to: '50', unit_price: first, flat_fee: '0' },
      { up_to: null, unit_price: '800', flat_fee: '0' }] },
  { code: 'storage_gb', unit_ko: 'GB', unit_en: 'GB', aggregation: 'max', model: 'per_unit',
    unit_price: '12.5', reference_quantity: '40' }],
  credits: [{ below: '99.9', share: '10' }, { below: '99', share: '25' }],
});

const complete = (extra = {}) => ({
  service_type: 'saas', category_id: 301, name_ko: `${TAG} 협업 서비스`, name_en: `${TAG} Collaboration`,
  summary_ko: '공공기관 협업 도구', summary_en: 'Collaboration for agencies',
  description_ko: '## 소개\n\n**메신저**와 *일정*을 제공합니다.', description_en: 'Messenger and calendars.',
  features_ko: ['메신저', '일정'], deployment_model: 'public', dc_location: 'domestic', dc_region: 'Seoul',
  availability_target: '99.9', recovery_grade_hours: 4, support_hours: '24x7',
  support_channels: ['phone', 'email'], min_contract_months: 12, contract_unit: 'monthly', runs_on: [1],
  rate_plan: plan(), ...extra,
});

async function api(c, path, body) {
  const res = await c.request(path, { method: 'POST', json: body,
    headers: { ...json, 'x-csrf-token': c.csrf } });
  const text = await res.text();
  return { res, body: text ? JSON.parse(text) : null };
}

async function create(c, body) {
  const r = await api(c, '/api/v1/vendor/listings', body);
  assert.equal(r.res.status, 201, JSON.stringify(r.body));
  made.push(r.body.id);
  return r.body.id;
}

// Ticks every item of the current listing checklist.
async function allMet() {
  const { body } = await reviewer.getJSON('/api/v1/review/checklists?kind=listing');
  return Object.fromEntries(body.current.items.map((i) => [i.code, true]));
}

async function search(q) {
  const res = await fetch(BASE + '/api/v1/search?per_page=100&q=' + encodeURIComponent(q));
  return res.json();
}

async function within(ms, check) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms)
      assert.fail(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

after(() => {
  if (made.length > 0)
    sql(`UPDATE listings SET status = 'withdrawn' WHERE id IN (${made.join(',')})`);
});

test('a vendor creates a draft with a rate plan; the reference price is derived', async () => {
  await clients();
  const id = await create(vendor, complete());
  const { res, body } = await vendor.getJSON(`/api/v1/vendor/listings/${id}`);
  assert.equal(res.status, 200);
  assert.equal(body.listing.status, 'draft');
  // 50 x 1000 + 50 x 800 + 40 x 12.5 = 90,500 won.
  assert.equal(body.listing.reference_monthly_price_won, 90500);
  assert.equal(body.listing.rate_plan.dimensions[0].tiers[1].up_to, null);
  assert.deepEqual(body.listing.features_ko, ['메신저', '일정']);
  assert.deepEqual(body.listing.runs_on, [1]);
  assert.equal(body.listing.current_version, null);
  // Staff of the same vendor see it; the list shows it.
  const list = await staff.getJSON('/api/v1/vendor/listings');
  assert.ok(list.body.listings.some((l) => l.id === id && l.status === 'draft'));
  // The audit log has the creation.
  assert.equal(sql(`SELECT count(*) FROM audit_events WHERE action = 'listing_created'
    AND object_id = '${id}'`), '1');
});

test('bad input: exact status, code and field', async () => {
  await clients();
  const cases = [
    [{ ...complete(), colour: 'red' }, 400, 'unknown_parameter', 'colour'],
    [complete({ service_type: 'cloud' }), 400, 'invalid_parameter', 'service_type'],
    [complete({ name_ko: '' }), 400, 'invalid_parameter', 'name_ko'],
    [complete({ name_ko: '가'.repeat(201) }), 400, 'too_long', 'name_ko'],
    [complete({ description_ko: 'x'.repeat(20001) }), 400, 'too_long', 'description_ko'],
    [complete({ features_ko: Array(21).fill('a') }), 400, 'too_long', 'features_ko'],
    [complete({ features_ko: ['a\nb'] }), 400, 'invalid_parameter', 'features_ko'],
    [complete({ category_id: 101 }), 400, 'invalid_parameter', 'category_id'],
    [complete({ availability_target: '100.5' }), 400, 'invalid_parameter', 'availability_target'],
    [complete({ availability_target: '99.9999999' }), 400, 'invalid_parameter', 'availability_target'],
    [complete({ recovery_grade_hours: 3 }), 400, 'invalid_parameter', 'recovery_grade_hours'],
    [complete({ min_contract_months: 121 }), 400, 'invalid_parameter', 'min_contract_months'],
    [complete({ support_channels: ['fax'] }), 400, 'invalid_parameter', 'support_channels'],
    [complete({ free_trial_url: 'javascript:alert(1)' }), 400, 'invalid_parameter', 'free_trial_url'],
    [complete({ dc_location: null }), 400, 'invalid_parameter', 'dc_location'],
    [complete({ runs_on: [999999] }), 400, 'invalid_parameter', 'runs_on'],
    [complete({ runs_on: [8] }), 400, 'invalid_parameter', 'runs_on'],	// a SaaS, not infrastructure
    // Broken tiers: descending limits, negative price, open tier first,
    // inexact decimals, JSON reals, unknown model.
    [complete({ rate_plan: plan('1', [{ up_to: '100', unit_price: '1' }, { up_to: '50', unit_price: '1' },
      { up_to: null, unit_price: '1' }]) }), 400, 'invalid_parameter',
      'rate_plan.dimensions[0].tiers[1].up_to'],
    [complete({ rate_plan: plan('-5') }), 400, 'invalid_parameter',
      'rate_plan.dimensions[0].tiers[0].unit_price'],
    [complete({ rate_plan: plan('1', [{ up_to: null, unit_price: '1' }, { up_to: '10', unit_price: '1' }]) }),
      400, 'invalid_parameter', 'rate_plan.dimensions[0].tiers[0].up_to'],
    [complete({ rate_plan: plan('0.0000001') }), 400, 'invalid_parameter',
      'rate_plan.dimensions[0].tiers[0].unit_price'],
    [complete({ rate_plan: { dimensions: [{ code: 'a', unit_ko: '건', aggregation: 'sum', model: 'per_unit',
      unit_price: 1.5 }] } }), 400, 'invalid_parameter', 'rate_plan.dimensions[0].unit_price'],
    [complete({ rate_plan: { dimensions: [{ code: 'a', unit_ko: '건', aggregation: 'sum', model: 'tiered' }] } }),
      400, 'invalid_parameter', 'rate_plan.dimensions[0].model'],
    [complete({ rate_plan: { dimensions: [] } }), 400, 'invalid_parameter', 'rate_plan.dimensions'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await api(vendor, '/api/v1/vendor/listings', body);
    assert.equal(r.res.status, status, `${field}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, code, field);
    assert.equal(r.body.error.field, field);
    assert.ok(r.body.error.message.length > 0);
  }
  // English messages too.
  const en = await vendor.request('/api/v1/vendor/listings', { method: 'POST',
    json: complete({ rate_plan: plan('-5') }),
    headers: { ...json, 'x-csrf-token': vendor.csrf, 'accept-language': 'en' } });
  const enBody = await en.json();
  assert.match(enBody.error.message, /negative|below zero|tier 1/i);
  assert.match(enBody.error.message, /^Dimension 1, /);
});

test('scripts and SQL metacharacters are stored as typed and shown escaped', async () => {
  await clients();
  const nasty = `${TAG} <script>alert("x")</script> '); DROP TABLE listings; --`;
  const id = await create(vendor, complete({ name_ko: nasty,
    description_ko: '<img src=x onerror=alert(1)>\n\n[link](javascript:alert(1)) **ok**',
    features_ko: ['<b>bold</b>'] }));
  const { body } = await vendor.getJSON(`/api/v1/vendor/listings/${id}`);
  assert.equal(body.listing.name_ko, nasty);
  const html = await (await vendor.get(`/vendor/listings/${id}`)).text();
  assert.ok(!html.includes('<script>alert'));
  assert.ok(html.includes('&lt;script&gt;alert'));
  assert.ok(!/<img[^>]*onerror/.test(html));
  assert.ok(!html.includes('href="javascript:'));
  assert.ok(html.includes('<strong>ok</strong>'));
  assert.ok(html.includes('&lt;b&gt;bold&lt;/b&gt;'));
  assert.equal(sql("SELECT to_regclass('listings') IS NOT NULL"), 't');
});

test('the HTML form: lists by line, plan rows, broken tiers keep the input', async () => {
  await clients();
  const form = { service_type: 'saas', category_id: '301', name_ko: `${TAG} 폼 서비스`,
    features_ko: '첫째\r\n\r\n둘째\r\n', support_channels: 'phone',
    d0_code: 'user', d0_unit_ko: '사용자', d0_aggregation: 'unique_count', d0_model: 'volume',
    d0_reference_quantity: '10', d0_t0_up_to: '100', d0_t0_unit_price: '500',
    d0_t1_up_to: '50', d0_t1_unit_price: '400', d0_t2_unit_price: '300' };
  let res = await vendor.post('/vendor/listings', form);
  assert.equal(res.status, 400);
  let html = await res.text();
  assert.match(html, /href="#d0_t1_up_to"/);
  assert.match(html, /id="d0_t1_up_to" name="d0_t1_up_to" value="50"[^>]*aria-invalid="true"/);
  assert.ok(html.includes(`value="${TAG} 폼 서비스"`));
  // Preview renders the description without saving.
  res = await vendor.post('/vendor/listings', { ...form, description_ko: '# 제목\n\n<script>x</script>',
    preview: '1' });
  assert.equal(res.status, 200);
  html = await res.text();
  assert.match(html, /data-preview="ko"><h1>제목<\/h1>/);
  assert.ok(!html.includes('<script>x'));
  // "More rows" adds blank rows and saves nothing.
  const count = Number(sql('SELECT count(*) FROM listings'));
  res = await vendor.post('/vendor/listings', { ...form, more: '1' });
  assert.equal(res.status, 200);
  html = await res.text();
  assert.ok(html.includes('id="d2_code"') && !html.includes('id="d3_code"'));
  assert.ok(html.includes('id="d0_t4_up_to"') && !html.includes('id="d0_t5_up_to"'));
  assert.ok(html.includes(`value="${TAG} 폼 서비스"`));
  assert.equal(Number(sql('SELECT count(*) FROM listings')), count);
  // Fixed, it saves; blank rows and lines are dropped.
  res = await vendor.post('/vendor/listings', { ...form, d0_t1_up_to: '500' });
  assert.equal(res.status, 303);
  const id = Number(res.headers.get('location').match(/\/vendor\/listings\/(\d+)\?done=created/)[1]);
  made.push(id);
  const { body } = await vendor.getJSON(`/api/v1/vendor/listings/${id}`);
  assert.deepEqual(body.listing.features_ko, ['첫째', '둘째']);
  assert.deepEqual(body.listing.support_channels, ['phone']);
  assert.equal(body.listing.rate_plan.dimensions[0].tiers.length, 3);
  assert.equal(body.listing.rate_plan.dimensions[0].tiers[2].up_to, null);
  // Line breaks only where a field may have them.
  res = await vendor.post('/vendor/listings', { ...form, name_ko: 'a\nb' });
  assert.equal(res.status, 400);
  // Without the CSRF token: 403.
  res = await vendor.post('/vendor/listings', { ...form, csrf: 'wrong' });
  assert.equal(res.status, 403);
});

test("another vendor's listing is 404 everywhere", async () => {
  await clients();
  const id = await create(vendor, complete());
  for (const p of [`/api/v1/vendor/listings/${id}`, `/vendor/listings/${id}`, `/vendor/listings/${id}/edit`,
    `/api/v1/vendor/listings/${id}/versions`, `/api/v1/vendor/listings/${id}/diff?from=0&to=1`])
    assert.equal((await other.get(p, json)).status, 404, p);
  assert.equal((await api(other, `/api/v1/vendor/listings/${id}`, complete())).res.status, 404);
  assert.equal((await api(other, `/api/v1/vendor/listings/${id}/submit`, {})).res.status, 404);
  assert.ok(!(await other.getJSON('/api/v1/vendor/listings')).body.listings.some((l) => l.id === id));
});

test('submission: incomplete 400, twice 409, not editable while in review', async () => {
  await clients();
  const bare = await create(vendor, { service_type: 'iaas', name_ko: `${TAG} 미완성` });
  let r = await api(vendor, `/api/v1/vendor/listings/${bare}/submit`, {});
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.field, 'name_en');
  const id = await create(vendor, complete());
  r = await api(staff, `/api/v1/vendor/listings/${id}/submit`, {});
  assert.equal(r.res.status, 200);
  assert.equal(r.body.status, 'submitted');
  assert.equal(r.body.version, 1);
  r = await api(vendor, `/api/v1/vendor/listings/${id}/submit`, {});
  assert.equal(r.res.status, 409);
  assert.equal(r.body.error.code, 'conflict');
  r = await api(vendor, `/api/v1/vendor/listings/${id}`, complete());
  assert.equal(r.res.status, 409);
  assert.equal((await vendor.get(`/vendor/listings/${id}/edit`, json)).status, 409);
  // A browser's second submission gets the error page, in HTML.
  const again = await vendor.post(`/vendor/listings/${id}/submit`, {});
  assert.equal(again.status, 409);
  assert.match(again.headers.get('content-type'), /text\/html/);
  assert.match(await again.text(), /지금 상태에서는 할 수 없습니다/);
  const save = await vendor.post(`/vendor/listings/${id}`, { service_type: 'saas', name_ko: 'x' });
  assert.equal(save.status, 409);
  assert.match(save.headers.get('content-type'), /text\/html/);
  // In the queue, with how long it has waited.
  const q = await reviewer.getJSON('/api/v1/review?kind=listing_submission');
  const item = q.body.items.find((i) => i.object_id === id);
  assert.ok(item);
  assert.equal(typeof item.waited_seconds, 'number');
  const all = (await reviewer.getJSON('/api/v1/review')).body.items.map((i) => i.waiting_since);
  assert.deepEqual(all, [...all].sort());
  assert.equal((await reviewer.getJSON('/api/v1/review?kind=bogus')).res.status, 400);
});

test('a vendor that is not approved can draft but not submit', async () => {
  await clients();
  const org = sql(`INSERT INTO organisations (kind, name_ko, status) VALUES ('vendor', '${TAG} 신청기업', 'applied')
    RETURNING id`);
  const email = `${TAG}@applicant.example`;
  sql(`INSERT INTO users (org_id, email, name, role, password_hash)
    SELECT ${org}, '${email}', '신청자', 'vendor_admin', password_hash FROM users WHERE id = 5`);
  const c = await signIn(email);
  const id = await create(c, complete());
  const r = await api(c, `/api/v1/vendor/listings/${id}/submit`, {});
  assert.equal(r.res.status, 403);
  assert.equal(r.body.error.code, 'forbidden');
  assert.match(r.body.error.message, /승인/);
  // The queue links to its registration.
  const q = await reviewer.getJSON('/api/v1/review?kind=vendor');
  assert.ok(q.body.items.some((i) => i.object_id === Number(org) && i.url === `/admin/vendors/${org}`));
});

test('review: the checklist decides whether approving is possible; approval publishes', async () => {
  await clients();
  const id = await create(vendor, complete({ name_ko: `${TAG} 승인될 서비스 gureumapprove${TAG}` }));
  await api(vendor, `/api/v1/vendor/listings/${id}/submit`, {});
  const cl = (await reviewer.getJSON('/api/v1/review/checklists?kind=listing')).body.current;
  // 70% but a mandatory item missed: refused.
  const answers = Object.fromEntries(cl.items.map((i) => [i.code, true]));
  const mandatory = cl.items.find((i) => i.mandatory);
  let r = await api(reviewer, `/api/v1/review/listings/${id}/decide`, { decision: 'approve',
    answers: { ...answers, [mandatory.code]: false } });
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.field, 'checklist');
  // Every mandatory item but too few others: below the threshold.
  const few = Object.fromEntries(cl.items.map((i) => [i.code, i.mandatory]));
  r = await api(reviewer, `/api/v1/review/listings/${id}/decide`, { decision: 'approve', answers: few });
  assert.equal(r.res.status, 400);
  // Auditors decide nothing.
  r = await api(auditor, `/api/v1/review/listings/${id}/decide`, { decision: 'approve', answers });
  assert.equal(r.res.status, 403);
  r = await api(reviewer, `/api/v1/review/listings/${id}/decide`, { decision: 'approve', answers });
  assert.equal(r.res.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'published');
  assert.equal(r.body.score.passed, true);
  assert.equal(r.body.score.percent, 100);
  // Deciding again: nothing is open.
  r = await api(reviewer, `/api/v1/review/listings/${id}/decide`, { decision: 'approve', answers });
  assert.equal(r.res.status, 409);
  // Stored with the scores and the checklist version; audited.
  assert.equal(sql(`SELECT decision || ' ' || score_percent || ' ' || passed || ' ' ||
    (checklist_id = ${cl.id}) FROM listing_reviews WHERE listing_id = ${id} AND kind = 'submission'`),
  'approved 100 true true');
  assert.equal(sql(`SELECT count(*) FROM audit_events WHERE action = 'listing_approved'
    AND object_id = '${id}'`), '1');
  // Public: the service page and search.
  assert.equal((await fetch(`${BASE}/api/v1/services/${id}`)).status, 200);
  await within(3000, async () => (await search(`gureumapprove${TAG}`)).results.some((x) => x.id === id));
  // Suspension takes it out of search; reinstating brings it back.
  r = await api(reviewer, `/api/v1/review/listings/${id}/status`, { action: 'suspend', reason: '' });
  assert.equal(r.res.status, 400);
  r = await api(reviewer, `/api/v1/review/listings/${id}/status`, { action: 'suspend', reason: '점검 중' });
  assert.equal(r.res.status, 200);
  assert.equal(r.body.status, 'suspended');
  await within(3000, async () => !(await search(`gureumapprove${TAG}`)).results.some((x) => x.id === id));
  assert.equal((await fetch(`${BASE}/api/v1/services/${id}`)).status, 404);
  r = await api(reviewer, `/api/v1/review/listings/${id}/status`, { action: 'suspend', reason: '다시' });
  assert.equal(r.res.status, 409);
  r = await api(admin, `/api/v1/review/listings/${id}/status`, { action: 'reinstate', reason: '해제' });
  assert.equal(r.res.status, 200);
  await within(3000, async () => (await search(`gureumapprove${TAG}`)).results.some((x) => x.id === id));
  // Withdrawn: gone from search for good; its versions stay readable.
  r = await api(admin, `/api/v1/review/listings/${id}/status`, { action: 'withdraw', reason: '판매 종료' });
  assert.equal(r.res.status, 200);
  await within(3000, async () => !(await search(`gureumapprove${TAG}`)).results.some((x) => x.id === id));
  const v = await vendor.getJSON(`/api/v1/vendor/listings/${id}/versions`);
  assert.equal(v.body.listing.versions.length, 1);
  r = await api(admin, `/api/v1/review/listings/${id}/status`, { action: 'reinstate', reason: 'x' });
  assert.equal(r.res.status, 409);
});

test('reject with reasons the vendor sees; request changes returns it to draft', async () => {
  await clients();
  const answers = await allMet();
  const a = await create(vendor, complete());
  await api(vendor, `/api/v1/vendor/listings/${a}/submit`, {});
  let r = await api(reviewer, `/api/v1/review/listings/${a}/decide`, { decision: 'reject', answers });
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.field, 'reasons');
  const reason = `보안인증 증빙 누락 <script>x</script> ${TAG}`;
  r = await api(reviewer, `/api/v1/review/listings/${a}/decide`, { decision: 'reject', reasons: reason, answers });
  assert.equal(r.res.status, 200);
  assert.equal(r.body.status, 'rejected');
  const html = await (await vendor.get(`/vendor/listings/${a}`)).text();
  assert.ok(html.includes(`보안인증 증빙 누락 &lt;script&gt;x&lt;/script&gt; ${TAG}`));
  // Rejected is final: no edits, no new submission.
  assert.equal((await api(vendor, `/api/v1/vendor/listings/${a}`, complete())).res.status, 409);
  assert.equal((await api(vendor, `/api/v1/vendor/listings/${a}/submit`, {})).res.status, 409);

  const b = await create(vendor, complete());
  await api(vendor, `/api/v1/vendor/listings/${b}/submit`, {});
  r = await api(reviewer, `/api/v1/review/listings/${b}/decide`, { decision: 'request_changes',
    reasons: 'SLA 보상 기준을 보완하세요', answers: {} });
  assert.equal(r.res.status, 200);
  assert.equal(r.body.status, 'draft');
  const { body } = await vendor.getJSON(`/api/v1/vendor/listings/${b}`);
  assert.equal(body.reviews[0].decision, 'changes_requested');
  assert.equal(body.reviews[0].reasons, 'SLA 보상 기준을 보완하세요');
  r = await api(vendor, `/api/v1/vendor/listings/${b}`, complete({ summary_ko: '보완함' }));
  assert.equal(r.res.status, 200);
  assert.equal(r.body.outcome, 'saved');
  r = await api(vendor, `/api/v1/vendor/listings/${b}/submit`, {});
  assert.equal(r.res.status, 200);
  assert.equal(r.body.version, 2);
});

test('change rules of a published listing', async () => {
  await clients();
  const answers = await allMet();
  const id = await create(vendor, complete());
  await api(vendor, `/api/v1/vendor/listings/${id}/submit`, {});
  await api(reviewer, `/api/v1/review/listings/${id}/decide`, { decision: 'approve', answers });
  const price = () => Number(sql(`SELECT reference_monthly_price_won FROM listings WHERE id = ${id}`));
  assert.equal(price(), 90500);

  // A price cut alone: published at once, a version, nothing to review.
  let r = await api(vendor, `/api/v1/vendor/listings/${id}`, complete({ rate_plan: plan('900') }));
  assert.equal(r.res.status, 200);
  assert.equal(r.body.outcome, 'published');
  assert.equal(r.body.price_lowered, true);
  assert.equal(r.body.acknowledge, false);
  assert.equal(r.body.version, 2);
  assert.equal(price(), 85500);
  // Saving the same again changes nothing.
  r = await api(vendor, `/api/v1/vendor/listings/${id}`, complete({ rate_plan: plan('900') }));
  assert.equal(r.body.outcome, 'unchanged');

  // A text edit: published at once and queued for acknowledgement.
  r = await api(vendor, `/api/v1/vendor/listings/${id}`, complete({ rate_plan: plan('900'),
    summary_ko: '새 요약' }));
  assert.equal(r.body.outcome, 'published');
  assert.equal(r.body.acknowledge, true);
  assert.deepEqual(r.body.changed, ['summary_ko']);
  assert.equal(sql(`SELECT summary_ko FROM listings WHERE id = ${id}`), '새 요약');
  let q = await reviewer.getJSON('/api/v1/review?kind=listing_text_edit');
  assert.ok(q.body.items.some((i) => i.object_id === id));

  // A raise: held for review, the published listing stays as it was.
  r = await api(vendor, `/api/v1/vendor/listings/${id}`, complete({ rate_plan: plan('2000'),
    summary_ko: '새 요약' }));
  assert.equal(r.body.outcome, 'change_submitted');
  assert.deepEqual(r.body.reasons, ['rate_plan']);
  assert.equal(price(), 85500);
  assert.equal((await fetch(`${BASE}/api/v1/services/${id}`)).status, 200);
  // Nothing more can be changed while it waits.
  r = await api(vendor, `/api/v1/vendor/listings/${id}`, complete({ rate_plan: plan('800') }));
  assert.equal(r.res.status, 409);
  // The reviewer sees the change field by field, plan included.
  const rv = await reviewer.getJSON(`/api/v1/review/listings/${id}`);
  assert.equal(rv.body.listing.review_kind, 'change');
  assert.ok(rv.body.changes.some((c) => c.field === 'rate_plan.dimensions[active_user].tiers[1].unit_price'
    && c.from === '900' && c.to === '2000'));
  // Acknowledge the text edit, then approve the raise.
  r = await api(reviewer, `/api/v1/review/listings/${id}/decide`, { decision: 'acknowledge' });
  assert.equal(r.res.status, 200);
  assert.equal(r.body.decision, 'acknowledged');
  r = await api(reviewer, `/api/v1/review/listings/${id}/decide`, { decision: 'approve', answers });
  assert.equal(r.res.status, 200);
  assert.equal(r.body.kind, 'change');
  assert.equal(r.body.version, 4);
  assert.equal(price(), 140500);

  // A new service type goes to review too; rejecting it leaves the listing.
  r = await api(vendor, `/api/v1/vendor/listings/${id}`, complete({ service_type: 'paas', category_id: 201,
    rate_plan: plan('2000'), summary_ko: '새 요약' }));
  assert.equal(r.body.outcome, 'change_submitted');
  assert.deepEqual(r.body.reasons, ['service_type']);
  r = await api(reviewer, `/api/v1/review/listings/${id}/decide`, { decision: 'reject',
    reasons: '유형 변경 사유 불충분', answers });
  assert.equal(r.res.status, 200);
  assert.equal(sql(`SELECT service_type || ' ' || status FROM listings WHERE id = ${id}`), 'saas published');

  // Versions and the difference between two of them.
  const vs = await vendor.getJSON(`/api/v1/vendor/listings/${id}/versions`);
  assert.deepEqual(vs.body.listing.versions.map((v) => v.version), [4, 3, 2, 1]);
  const d = await vendor.getJSON(`/api/v1/vendor/listings/${id}/diff?from=1&to=2`);
  assert.equal(d.res.status, 200);
  assert.ok(d.body.changes.some((c) => c.field === 'reference_monthly_price_won' && c.from === '90500'
    && c.to === '85500'));
  assert.ok(d.body.changes.some((c) => c.field === 'rate_plan.dimensions[active_user].tiers[1].unit_price'));
  assert.ok(!d.body.changes.some((c) => c.field === 'name_ko'));
  const dr = await reviewer.getJSON(`/api/v1/review/listings/${id}/diff?from=3&to=4`);
  assert.equal(dr.res.status, 200);
  assert.equal((await vendor.getJSON(`/api/v1/vendor/listings/${id}/diff?from=1&to=99`)).res.status, 400);
  assert.equal((await vendor.getJSON(`/api/v1/vendor/listings/${id}/diff?from=x`)).res.status, 400);
  // Versions cannot be changed, even by the owner role.
  assert.throws(() => sql(`UPDATE listing_versions SET reason = 'x' WHERE listing_id = ${id}`));
  const html = await (await vendor.get(`/vendor/listings/${id}/diff?from=1&to=2`)).text();
  assert.match(html, /<del>90500<\/del>/);
});

test('the platform admin adds a checklist version; reviewers cannot', async () => {
  await clients();
  const before = (await admin.getJSON('/api/v1/review/checklists?kind=certificate')).body;
  const items = [...before.current.items.map(({ code, criterion, label_ko, label_en, mandatory }) =>
    ({ code, criterion, label_ko, label_en, mandatory })),
  { code: `extra_${TAG}`, criterion: 'support', label_ko: '추가 항목', label_en: 'Extra', mandatory: false }];
  let r = await api(reviewer, '/api/v1/review/checklists', { kind: 'certificate', threshold: 70, items });
  assert.equal(r.res.status, 403);
  r = await api(admin, '/api/v1/review/checklists', { kind: 'certificate', threshold: 101, items });
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.field, 'threshold');
  r = await api(admin, '/api/v1/review/checklists', { kind: 'certificate', threshold: 70,
    items: [...items, items[0]] });
  assert.equal(r.res.status, 400);
  r = await api(admin, '/api/v1/review/checklists', { kind: 'certificate', threshold: 70,
    items: [{ ...items[0], criterion: 'luck' }] });
  assert.equal(r.res.status, 400);
  r = await api(admin, '/api/v1/review/checklists', { kind: 'certificate', threshold: 75, items,
    note: '추가 항목 반영' });
  assert.equal(r.res.status, 201);
  assert.equal(r.body.version, before.current.version + 1);
  const now = (await auditor.getJSON('/api/v1/review/checklists?kind=certificate')).body;
  assert.equal(now.current.version, before.current.version + 1);
  assert.equal(now.current.threshold, 75);
  assert.equal(now.versions.length, before.versions.length + 1);
  assert.equal(sql(`SELECT count(*) FROM audit_events WHERE action = 'checklist_changed'
    AND object_id = '${r.body.id}'`), '1');
  // Old versions stay as they were.
  assert.throws(() => sql(`UPDATE review_checklists SET threshold = 1 WHERE id = ${before.current.id}`));
  // The HTML form: a new version through blank rows.
  const res = await admin.post('/review/checklists', { kind: 'vendor', threshold: '70',
    i0_code: 'finance_ok', i0_criterion: 'finance', i0_label_ko: '재무 건전', i0_mandatory: '1' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/review/checklists?kind=vendor&done=saved');
  const vk = (await admin.getJSON('/api/v1/review/checklists?kind=vendor')).body.current;
  assert.equal(vk.items.length, 1);
  assert.equal(vk.items[0].mandatory, true);
});

test("a vendor's machine client reads its listings with an API key, and writes nothing", async () => {
  await clients();
  const made2 = await vendor.postJSON('/org/keys', { name: `${TAG} catalogue sync`, scope: 'read' });
  assert.equal(made2.res.status, 201);
  const key = made2.body.key;
  assert.match(key, /^gur_live_/);
  const auth = { authorization: `Bearer ${key}`, accept: 'application/json' };
  let res = await fetch(`${BASE}/api/v1/vendor/listings`, { headers: auth });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.ok(body.listings.length > 0);
  assert.equal(body.listings.map((l) => l.id).sort((a, b) => a - b).join(','),
    sql('SELECT string_agg(id::text, \',\' ORDER BY id) FROM listings WHERE vendor_id = 1'));
  res = await fetch(`${BASE}/api/v1/vendor/listings/${made[0]}/versions`, { headers: auth });
  assert.equal(res.status, 200);
  res = await fetch(`${BASE}/api/v1/vendor/listings`, { method: 'POST', body: '{}',
    headers: { ...auth, 'content-type': 'application/json' } });
  assert.equal(res.status, 403);
  // The other vendor's key does not see Hanbit's listings.
  const k2 = (await other.postJSON('/org/keys', { name: `${TAG} other`, scope: 'read' })).body.key;
  res = await fetch(`${BASE}/api/v1/vendor/listings/${made[0]}`, { headers: { ...auth,
    authorization: `Bearer ${k2}` } });
  assert.equal(res.status, 404);
});

test('no page shows its template comment', async () => {
  await clients();
  const id = made[0];
  for (const [c, p] of [[vendor, '/vendor/listings'], [vendor, '/vendor/listings/new'], [vendor, `/vendor/listings/${id}`],
    [vendor, `/vendor/listings/${id}/versions`], [vendor, `/vendor/listings/${id}/edit`], [reviewer, '/review'], [reviewer, `/review/listings/${id}`],
    [reviewer, '/review/checklists'], [admin, '/review/checklists'], [reviewer, `/review/listings/${id}/versions`]]) {
    const res = await c.get(p);
    assert.equal(res.status, 200, p);
    const html = await res.text();
    assert.ok(!/View model|\{\{|\}\}/.test(html), `${p} leaks template text`);
  }
});

test('pages answer in English too', async () => {
  await clients();
  const c = new Client();
  c.jar = { ...reviewer.jar, lang: 'en' };
  c.csrf = reviewer.csrf;
  const html = await (await c.get('/review')).text();
  assert.match(html, /Review queue/);
  const v = new Client();
  v.jar = { ...vendor.jar, lang: 'en' };
  const page = await (await v.get('/vendor/listings')).text();
  assert.match(page, /My services/);
});
