// An organisation admin at work in a real browser: invite a user, who
// opens the link, sets a password and signs in; create an API key, see it
// once, and revoke it. Plus the sign-up forms with an error. Screenshots
// go to tests/artifacts/.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';

const DEMO = 'Gureum-demo-2026!';
const NEW_PASSWORD = 'blue whale sings at dawn 42';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Console errors and script errors of a page, except two kinds that are
// not faults: the error status of the document itself (a form answered
// 400, a used link 410; each test asserts those statuses) and Chromium's
// own request for /favicon.ico, which it makes on some pages despite the
// data: icon in the head.
function watch(page) {
  const seen = [];
  page.on('console', (m) => {
    if (m.type() !== 'error')
      return;
    const url = m.location()?.url ?? '';
    if (url.endsWith('/favicon.ico'))
      return;
    if (/^Failed to load resource/.test(m.text()) && url === page.url())
      return;
    seen.push(`${m.text()} (${url})`);
  });
  page.on('pageerror', (e) => seen.push(String(e)));
  return seen;
}

async function open() {
  const page = await newPage(browser);
  page.seen = watch(page);
  return page;
}

async function signIn(page, email, password = DEMO) {
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForLoadState();
}

test('an admin invites a user, who sets a password and signs in', async () => {
  const admin = await open();
  await signIn(admin, 'admin@hanbit.example');
  await admin.click('a[href="/org/users"]');
  await admin.waitForURL(/\/org\/users$/);
  assert.match(await admin.locator('main').innerText(), /staff@hanbit\.example/);
  await admin.screenshot({ path: ARTIFACTS + 'org-users.png', fullPage: true });

  await admin.click('a[data-action="invite"]');
  await admin.waitForURL(/\/org\/users\/new$/);
  const email = `browser${Date.now()}@hanbit.example`;
  await admin.fill('#email', email);
  await admin.fill('#name', '브라우저 초대');
  await admin.selectOption('#role', 'vendor_staff');
  await admin.click('form[action="/org/users"] button[type="submit"]');
  await admin.waitForLoadState();
  assert.match(await admin.locator('main').innerText(), /초대했습니다/);
  const link = await admin.inputValue('#invitation-link');
  assert.match(link, /^\/invitation\?token=[A-Za-z0-9_-]{43}$/);
  await admin.screenshot({ path: ARTIFACTS + 'org-invited.png', fullPage: true });
  assert.deepEqual(admin.seen, []);

  const user = await open();
  await user.goto(BASE + link);
  assert.match(await user.locator('main').innerText(), new RegExp(email));
  assert.equal(await user.inputValue('#name'), '브라우저 초대');
  // A weak password first: the error is shown and the name kept.
  await user.fill('#password', 'short');
  await user.click('form[action="/invitation"] button[type="submit"]');
  await user.waitForLoadState();
  assert.ok(await user.locator('.error-summary').isVisible());
  assert.equal(await user.inputValue('#name'), '브라우저 초대');
  await user.screenshot({ path: ARTIFACTS + 'invitation-error.png', fullPage: true });
  await user.fill('#password', NEW_PASSWORD);
  await user.click('form[action="/invitation"] button[type="submit"]');
  await user.waitForLoadState();
  assert.match(await user.locator('main').innerText(), /계정이 활성화되었습니다/);
  await user.screenshot({ path: ARTIFACTS + 'invitation-done.png', fullPage: true });
  await user.click('main a[href="/login"]');
  await user.waitForURL(/\/login/);
  await user.fill('#email', email);
  await user.fill('#password', NEW_PASSWORD);
  await user.click('form[action="/login"] button[type="submit"]');
  await user.waitForLoadState();
  assert.equal(new URL(user.url()).pathname, '/home');
  assert.match(await user.locator('main').innerText(), /공급기업 담당자/);
  assert.match(await user.locator('main').innerText(), /브라우저 초대/);
  assert.deepEqual(user.seen, []);

  // The link is used up.
  const again = await open();
  const res = await again.goto(BASE + link);
  assert.equal(res.status(), 410);
  await again.context().close();
  await user.context().close();
  await admin.context().close();
});

test('an admin creates an API key, sees it once, and revokes it', async () => {
  const admin = await open();
  await signIn(admin, 'admin@hanbit.example');
  await admin.goto(BASE + '/org/keys');
  await admin.click('a[data-action="new-key"]');
  await admin.waitForURL(/\/org\/keys\/new$/);
  // Nothing ticked: the error, then fix it.
  await admin.fill('#name', '사용량 보고 (브라우저)');
  await admin.click('form[action="/org/keys"] button[type="submit"]');
  await admin.waitForLoadState();
  assert.ok(await admin.locator('.error-summary').isVisible());
  assert.equal(await admin.inputValue('#name'), '사용량 보고 (브라우저)');
  await admin.check('#scope-read');
  await admin.check('#scope-usage');
  await admin.click('form[action="/org/keys"] button[type="submit"]');
  await admin.waitForLoadState();
  const key = await admin.inputValue('#api-key');
  assert.match(key, /^gur_live_[0-9a-z]{8}_[A-Za-z0-9_-]{43}$/);
  await admin.screenshot({ path: ARTIFACTS + 'org-key-created.png', fullPage: true });

  const me = await fetch(BASE + '/api/v1/me', { headers: { authorization: `Bearer ${key}` } });
  assert.equal(me.status, 200);

  await admin.click('main a[href="/org/keys"]');
  await admin.waitForURL(/\/org\/keys$/);
  const list = await admin.content();
  assert.ok(!list.includes(key), 'the key is shown once only');
  const id = key.slice(9, 17);
  const row = admin.locator(`tr[data-key="${id}"]`);
  assert.match(await row.innerText(), new RegExp(`gur_live_${id}…`));
  await admin.screenshot({ path: ARTIFACTS + 'org-keys.png', fullPage: true });
  await row.locator('button[type="submit"]').click();
  await admin.waitForLoadState();
  assert.ok(await admin.locator('.notice--success').isVisible());
  assert.match(await admin.locator(`tr[data-key="${id}"]`).innerText(), /폐기됨/);
  const after = await fetch(BASE + '/api/v1/me', { headers: { authorization: `Bearer ${key}` } });
  assert.equal(after.status, 401);
  assert.deepEqual(admin.seen, []);
  await admin.context().close();
});

test('sign-up forms show their errors next to the fields', async () => {
  const page = await open();
  await page.goto(BASE + '/signup');
  await page.screenshot({ path: ARTIFACTS + 'signup.png', fullPage: true });
  await page.click('a[data-signup="vendor"]');
  await page.waitForURL(/\/signup\/vendor$/);
  await page.fill('#name_ko', '브라우저클라우드');
  await page.fill('#biz_no', '123-45-67890');
  await page.check('#company_size-sme');
  await page.fill('#address', '서울특별시 중구 세종대로 110');
  await page.fill('#contact_name', '홍길동');
  await page.fill('#contact_phone', '02-1234-5678');
  await page.fill('#admin_name', '홍길동');
  await page.fill('#email', `b${Date.now()}@browser.example`);
  await page.fill('#password', NEW_PASSWORD);
  await page.click('form[action="/signup/vendor"] button[type="submit"]');
  await page.waitForLoadState();
  const summary = page.locator('.error-summary');
  assert.ok(await summary.isVisible());
  assert.match(await summary.innerText(), /검증 번호/);
  assert.equal(await page.inputValue('#name_ko'), '브라우저클라우드');
  assert.equal(await page.inputValue('#password'), '');
  assert.equal(await page.getAttribute('#biz_no', 'aria-invalid'), 'true');
  await page.screenshot({ path: ARTIFACTS + 'signup-vendor-error.png', fullPage: true });

  await page.goto(BASE + '/signup/agency');
  await page.selectOption('#agency', '101');
  await page.fill('#name', '도메인 밖');
  await page.fill('#email', 'someone@gmail.com');
  await page.fill('#password', NEW_PASSWORD);
  await page.click('form[action="/signup/agency"] button[type="submit"]');
  await page.waitForLoadState();
  assert.match(await page.locator('.error-summary').innerText(), /도메인/);
  assert.equal(await page.inputValue('#agency'), '101');
  await page.screenshot({ path: ARTIFACTS + 'signup-agency-error.png', fullPage: true });
  assert.deepEqual(page.seen, []);
  await page.context().close();
});
