// Signing in and out in a real browser, as each kind of user would.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, BASE, ARTIFACTS } from './helpers.mjs';

const PASSWORD = 'Gureum-demo-2026!';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(page, email, password = PASSWORD) {
  await page.goto(BASE + '/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForLoadState();
}

test('a wrong password shows the error and keeps the e-mail', async () => {
  const page = await newPage(browser);
  await signIn(page, 'buyer@mois.go.kr', 'wrong-password');
  assert.ok(await page.locator('.error-summary').isVisible());
  assert.equal(await page.inputValue('#email'), 'buyer@mois.go.kr');
  assert.equal(await page.inputValue('#password'), '');
  await page.screenshot({ path: ARTIFACTS + 'login-error.png', fullPage: true });
  await page.context().close();
});

test('each role signs in, sees its home page, and signs out', async () => {
  const roles = {
    'buyer@mois.go.kr': '이용기관 담당자',
    'admin@hanbit.example': '공급기업 관리자',
    'reviewer@pps.go.kr': '심사 담당자',
    'auditor@pps.go.kr': '감사 담당자',
  };
  for (const [email, label] of Object.entries(roles)) {
    const page = await newPage(browser);
    await signIn(page, email);
    assert.equal(new URL(page.url()).pathname, '/home', email);
    assert.match(await page.locator('main').innerText(), new RegExp(label));
    assert.match(await page.locator('.nav__who').innerText(), new RegExp(label));
    if (email.startsWith('admin@'))
      await page.screenshot({ path: ARTIFACTS + 'home-vendor-admin.png', fullPage: true });
    await page.click('.nav__form button');
    await page.waitForLoadState();
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.ok(await page.locator('.notice--success').isVisible());
    await page.goto(BASE + '/home');
    assert.equal(new URL(page.url()).pathname, '/login', 'signed out for real');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('a protected page sends you to sign in and back', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/home');
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.fill('#email', 'approver@mois.go.kr');
  await page.fill('#password', PASSWORD);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForLoadState();
  assert.equal(new URL(page.url()).pathname, '/home');
  await page.screenshot({ path: ARTIFACTS + 'home-approver.png', fullPage: true });
  await page.context().close();
});

test('the demo accounts are listed on the sign-in page in demo mode', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/login');
  const text = await page.locator('.demo-accounts').innerText();
  for (const e of ['buyer@mois.go.kr', 'auditor@pps.go.kr', 'admin@pps.go.kr'])
    assert.match(text, new RegExp(e));
  await page.screenshot({ path: ARTIFACTS + 'login.png', fullPage: true });
  await page.context().close();
});
