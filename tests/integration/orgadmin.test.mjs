// Sign-up, invitations, an organisation's users and its API keys
// (app/orgadmin.c), against the real server and database. Accounts that
// get changed are made here, so the demo accounts stay as they are; the
// database is read (and, to simulate time, written) with psql as the owner.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Client, signIn, USERS, BASE, DEMO_PASSWORD } from './lib.mjs';

const DB = process.env.GUREUM_DATABASE;
const PW = 'correct horse battery staple 7';

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}${Math.floor(Math.random() * 1e4)}`;

// A valid 사업자등록번호 (bizno.h: weights 1,3,7,1,3,7,1,3,5).
function bizno() {
  const d = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let sum = d.reduce((s, x, i) => s + x * w[i], 0) + Math.floor(d[8] * 5 / 10);
  const check = (10 - (sum % 10)) % 10;
  const s = d.join('') + check;
  return `${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}`;
}

function wrongCheck(b) {
  const last = Number(b.at(-1));
  return b.slice(0, -1) + String((last + 1) % 10);
}

// A fresh user of an organisation with the demo password (psql).
function newUser(org, role, domain) {
  const email = `u${uniq()}@${domain}`;
  sql(`INSERT INTO users (org_id, email, name, role, password_hash)
       SELECT ${org}, '${email}', '테스트 사용자', '${role}', password_hash FROM users WHERE id = 1`);
  return { email, id: Number(sql(`SELECT id FROM users WHERE email = '${email}'`)) };
}

function audit(action, objectId) {
  return Number(sql(`SELECT count(*) FROM audit_events WHERE action = '${action}'
    AND object_id = '${objectId}'`));
}

async function anon(path) {
  const c = new Client();
  c.csrf = await c.csrfFrom(path);
  return c;
}

function vendorForm(over = {}) {
  const u = uniq();
  return {
    name_ko: `테스트클라우드${u}`, name_en: `Test Cloud ${u}`, biz_no: bizno(),
    company_size: 'sme', address: '서울특별시 중구 세종대로 110', contact_name: '홍길동',
    contact_phone: '02-1234-5678', website: 'https://test.example', admin_name: '홍길동',
    email: `admin-${u}@vendor${u}.example`, password: PW, ...over,
  };
}

// Undoes the template's escaping of an attribute value.
const unescape = (s) => s.replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
  .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(Number(d))).replaceAll('&quot;', '"')
  .replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

const errorField = (html) => html.match(/error-summary__list">\s*<li><a href="#([^"]+)">([^<]*)</);

test('agency sign-up with an approved domain makes a buyer who can sign in', async () => {
  const c = await anon('/signup/agency');
  const page = await (await c.get('/signup/agency')).text();
  assert.match(page, /행정안전부/);
  assert.match(page, /mois\.go\.kr/);
  const email = `New.Buyer${uniq()}@MOIS.go.kr`;
  const res = await c.post('/signup/agency', { agency: '101', name: '신규 담당자', email, password: PW });
  assert.equal(res.status, 201);
  assert.match(await res.text(), /가입이 완료되었습니다/);
  const row = sql(`SELECT org_id || ' ' || role || ' ' || status || ' ' || email
    FROM users WHERE lower(email) = lower('${email}')`);
  assert.equal(row, `101 buyer active ${email.toLowerCase()}`);
  const id = sql(`SELECT id FROM users WHERE email = '${email.toLowerCase()}'`);
  assert.equal(audit('signup_agency_user', id), 1);
  // Argon2id, not the password.
  assert.match(sql(`SELECT password_hash FROM users WHERE id = ${id}`), /^\$argon2id\$/);
  const me = await signIn(email.toLowerCase(), PW);
  assert.equal(me.me.role, 'buyer');
  assert.equal(me.me.org_id, 101);
});

test('agency sign-up outside the domain is a 400 naming email, form kept', async () => {
  const c = await anon('/signup/agency');
  for (const email of [`x${uniq()}@gmail.com`, `x${uniq()}@msit.go.kr`, `x${uniq()}@sub.mois.go.kr`,
    `x${uniq()}@mois.go.kr.evil.example`]) {
    const { res, body } = await c.postJSON('/signup/agency', { agency: '101', name: '밖', email,
      password: PW });
    assert.equal(res.status, 400, email);
    assert.equal(body.error.code, 'invalid_parameter');
    assert.equal(body.error.field, 'email');
    assert.match(body.error.message, /도메인/);
  }
  const res = await c.post('/signup/agency', { agency: '101', name: '도메인 밖 <b>', email: 'who@gmail.com',
    password: PW });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.equal(errorField(html)[1], 'email');
  assert.match(html, /value="who@gmail.com"/);
  assert.match(html, /value="도메인 밖 &lt;b&gt;"/);
  assert.match(html, /<option value="101" selected>/);
  assert.ok(!html.includes(PW), 'the password is never echoed');
  assert.equal(sql(`SELECT count(*) FROM users WHERE email = 'who@gmail.com'`), '0');
});

test('agency sign-up: bad agency, bad e-mail and each password rule answer 400 with their field', async () => {
  const c = await anon('/signup/agency');
  const email = `rule${uniq()}@mois.go.kr`;
  const cases = [
    [{ agency: '', name: 'a', email, password: PW }, 'agency'],
    [{ agency: '1', name: 'a', email, password: PW }, 'agency'],       // a vendor, not an agency
    [{ agency: '999999', name: 'a', email, password: PW }, 'agency'],
    [{ agency: '101', name: '', email, password: PW }, 'name'],
    [{ agency: '101', name: '   ', email, password: PW }, 'name'],
    [{ agency: '101', name: 'a', email: 'not-an-email', password: PW }, 'email'],
    [{ agency: '101', name: 'a', email: 'a@@mois.go.kr', password: PW }, 'email'],
    [{ agency: '101', name: 'a', email, password: '' }, 'password'],
  ];
  for (const [form, field] of cases) {
    const { res, body } = await c.postJSON('/signup/agency', form);
    assert.equal(res.status, 400, JSON.stringify(form));
    assert.equal(body.error.field, field, JSON.stringify(form));
  }
  const messages = new Set();
  for (const password of ['short1', 'password123', email.split('@')[0]]) {
    const { res, body } = await c.postJSON('/signup/agency', { agency: '101', name: 'a', email, password });
    assert.equal(res.status, 400, password);
    assert.equal(body.error.field, 'password');
    messages.add(body.error.message);
  }
  assert.equal(messages.size, 3, 'too short, common and same-as-e-mail have their own messages');
  // The rule is stated on the form.
  const html = await (await c.get('/signup/agency')).text();
  assert.match(html, /10자 이상/);
});

test('a duplicate e-mail is a 409 with the form kept', async () => {
  const c = await anon('/signup/agency');
  const email = `dup${uniq()}@mois.go.kr`;
  let res = await c.post('/signup/agency', { agency: '101', name: '처음', email, password: PW });
  assert.equal(res.status, 201);
  res = await c.post('/signup/agency', { agency: '101', name: '두번째', email: email.toUpperCase(), password: PW });
  assert.equal(res.status, 409);
  const html = await res.text();
  assert.equal(errorField(html)[1], 'email');
  assert.match(html, /value="두번째"/);
  const { res: r2, body } = await c.postJSON('/signup/agency', { agency: '101', name: 'x', email, password: PW });
  assert.equal(r2.status, 409);
  assert.equal(body.error.code, 'conflict');
  assert.equal(body.error.field, 'email');
  // The demo accounts too.
  const r3 = await c.postJSON('/signup/agency', { agency: '101', name: 'x', email: USERS.buyer, password: PW });
  assert.equal(r3.res.status, 409);
});

test('vendor sign-up applies for review and its admin can sign in', async () => {
  const c = await anon('/signup/vendor');
  const f = vendorForm({ biz_no: bizno().replaceAll('-', '') });
  const res = await c.post('/signup/vendor', f);
  assert.equal(res.status, 201);
  const html = await res.text();
  assert.match(html, /조달청이 등록 신청을 심사/);
  const hyphen = `${f.biz_no.slice(0, 3)}-${f.biz_no.slice(3, 5)}-${f.biz_no.slice(5)}`;
  const org = sql(`SELECT id || ' ' || kind || ' ' || status || ' ' || company_size || ' ' || contact_email
    FROM organisations WHERE biz_no = '${hyphen}'`).split(' ');
  assert.deepEqual(org.slice(1), ['vendor', 'applied', 'sme', f.email]);
  assert.equal(audit('vendor_applied', org[0]), 1);
  const admin = await signIn(f.email, PW);
  assert.equal(admin.me.role, 'vendor_admin');
  assert.equal(admin.me.org_status, 'applied');
  const home = await (await admin.get('/home')).text();
  assert.match(home, /심사/);
});

test('vendor sign-up: wrong format and wrong check digit get distinct clear messages', async () => {
  const c = await anon('/signup/vendor');
  const good = bizno();
  const format = [];
  for (const biz_no of ['12-345-67890', '123456789', '12345678901', '123 45 67890', '１２３-４５-６７８９０',
    'abc-de-fghij', '123-45-6789O']) {
    const { res, body } = await c.postJSON('/signup/vendor', vendorForm({ biz_no }));
    assert.equal(res.status, 400, biz_no);
    assert.equal(body.error.field, 'biz_no', biz_no);
    format.push(body.error.message);
  }
  assert.equal(new Set(format).size, 1);
  assert.match(format[0], /형식이 올바르지 않습니다/);
  const { res, body } = await c.postJSON('/signup/vendor', vendorForm({ biz_no: wrongCheck(good) }));
  assert.equal(res.status, 400);
  assert.equal(body.error.field, 'biz_no');
  assert.match(body.error.message, /검증 번호가 맞지 않습니다/);
  assert.notEqual(body.error.message, format[0]);
  // In English too, and the HTML form keeps what was typed.
  const en = await c.request('/signup/vendor', { method: 'POST', form: vendorForm({ biz_no: wrongCheck(good) }),
    headers: { accept: 'application/json', 'accept-language': 'en' } });
  assert.match((await en.json()).error.message, /check digit/);
  const f = vendorForm({ biz_no: '123-45-678' });
  const page = await c.post('/signup/vendor', f);
  assert.equal(page.status, 400);
  const html = await page.text();
  assert.equal(errorField(html)[1], 'biz_no');
  assert.match(html, /형식이 올바르지 않습니다/);
  assert.match(html, new RegExp(`value="${f.name_ko}"`));
  assert.match(html, /value="123-45-678"/);
  assert.match(html, /value="sme" checked/);
  assert.ok(!html.includes(PW));
});

test('vendor sign-up: the other fields answer 400 with their field', async () => {
  const c = await anon('/signup/vendor');
  const cases = [
    [{ name_ko: '' }, 'name_ko'], [{ biz_no: '' }, 'biz_no'], [{ company_size: 'huge' }, 'company_size'],
    [{ company_size: '' }, 'company_size'], [{ address: '' }, 'address'], [{ contact_name: '' }, 'contact_name'],
    [{ contact_phone: 'call me' }, 'contact_phone'], [{ contact_phone: '12' }, 'contact_phone'],
    [{ website: 'javascript:alert(1)' }, 'website'], [{ admin_name: '' }, 'admin_name'],
    [{ email: 'nope' }, 'email'], [{ password: 'password' }, 'password'],
  ];
  for (const [over, field] of cases) {
    const { res, body } = await c.postJSON('/signup/vendor', vendorForm(over));
    assert.equal(res.status, 400, JSON.stringify(over));
    assert.equal(body.error.field, field, JSON.stringify(over));
  }
  // Optional fields may be empty.
  const { res } = await c.postJSON('/signup/vendor', vendorForm({ name_en: '', website: '' }));
  assert.equal(res.status, 201);
});

test('a duplicate 사업자등록번호 or admin e-mail is a 409', async () => {
  const c = await anon('/signup/vendor');
  const f = vendorForm();
  assert.equal((await c.post('/signup/vendor', f)).status, 201);
  // The same number without hyphens is the same number.
  let { res, body } = await c.postJSON('/signup/vendor', vendorForm({ biz_no: f.biz_no.replaceAll('-', '') }));
  assert.equal(res.status, 409);
  assert.equal(body.error.field, 'biz_no');
  ({ res, body } = await c.postJSON('/signup/vendor', vendorForm({ biz_no: '214-86-52606' })));
  assert.equal(res.status, 409, 'a demo vendor number');
  assert.equal(body.error.field, 'biz_no');
  ({ res, body } = await c.postJSON('/signup/vendor', vendorForm({ email: f.email })));
  assert.equal(res.status, 409);
  assert.equal(body.error.field, 'email');
  // Nothing half-written: the failed applications left no organisation.
  assert.equal(sql(`SELECT count(*) FROM organisations WHERE contact_email = '${f.email}'`), '1');
  const page = await c.post('/signup/vendor', vendorForm({ biz_no: f.biz_no }));
  assert.equal(page.status, 409);
  assert.equal(errorField(await page.text())[1], 'biz_no');
});

test('sign-up forms need their CSRF token (403)', async () => {
  for (const path of ['/signup/agency', '/signup/vendor']) {
    const c = await anon(path);
    const form = path.endsWith('agency') ? { agency: '101', name: 'x', email: `c${uniq()}@mois.go.kr`,
      password: PW } : vendorForm();
    let res = await c.request(path, { method: 'POST', form: { ...form, csrf: '' } });
    assert.equal(res.status, 403, path);
    res = await c.request(path, { method: 'POST', form: { ...form, csrf: 'x'.repeat(32) } });
    assert.equal(res.status, 403, path);
    const bare = new Client();
    res = await bare.request(path, { method: 'POST', form });
    assert.equal(res.status, 403, path);
  }
});

// Invites through the admin's form; returns the link shown once.
async function invite(admin, form) {
  const res = await admin.post('/org/users', form);
  const html = await res.text();
  const link = html.match(/id="invitation-link" value="([^"]+)"/)?.[1];
  return { res, html, link: link && unescape(link) };
}

test('invite, open the link, set a password, sign in', async () => {
  const admin = await signIn(USERS.vendor_admin);
  const email = `invited${uniq()}@hanbit.example`;
  const form = await (await admin.get('/org/users/new')).text();
  assert.match(form, /vendor_staff/);
  assert.ok(!form.includes('value="buyer"'), 'only vendor roles');
  const { res, html, link } = await invite(admin, { email, name: '초대 사용자', role: 'vendor_staff' });
  assert.equal(res.status, 201);
  assert.match(res.headers.get('cache-control'), /no-store/);
  assert.match(link, /^\/invitation\?token=[A-Za-z0-9_-]{43}$/);
  assert.match(html, /한 번만/);
  const token = link.split('=')[1];
  const uid = sql(`SELECT id FROM users WHERE email = '${email}'`);
  assert.equal(sql(`SELECT status || ' ' || role || ' ' || (password_hash IS NULL) FROM users WHERE id = ${uid}`),
    'invited vendor_staff true');
  // Stored hashed, seven days.
  assert.equal(sql(`SELECT count(*) FROM invitations WHERE token_hash = '${token}'`), '0');
  assert.equal(sql(`SELECT round(extract(epoch FROM expires_at - created_at) / 86400)
    FROM invitations WHERE user_id = ${uid}`), '7');
  assert.equal(audit('user_invited', uid), 1);
  // The message: Korean first, English second, with the link.
  const body = sql(`SELECT body FROM mail_outbox WHERE to_address = '${email}' AND sent_at IS NULL`);
  assert.ok(body.includes(link));
  assert.ok(body.indexOf('초대') < body.indexOf('invited'), 'Korean first');
  assert.match(sql(`SELECT subject FROM mail_outbox WHERE to_address = '${email}'`), /구름.*Gureum/);
  // The invited user cannot sign in yet.
  const early = new Client();
  early.csrf = await early.csrfFrom('/login');
  assert.equal((await early.post('/login', { email, password: PW })).status, 401);

  const c = new Client();
  const page = await c.get(link);
  assert.equal(page.status, 200);
  const ph = await page.text();
  assert.match(ph, new RegExp(email));
  assert.match(ph, /한빛/);
  c.csrf = ph.match(/name="csrf" value="([^"]+)"/)[1];
  // A bad password keeps the form and the token.
  let r = await c.post('/invitation', { token, name: '초대 사용자', password: 'short' });
  assert.equal(r.status, 400);
  const bad = await r.text();
  assert.equal(errorField(bad)[1], 'password');
  assert.match(bad, new RegExp(`name="token" value="${token}"`));
  r = await c.post('/invitation', { token, name: '새 이름', password: PW });
  assert.equal(r.status, 200);
  assert.match(await r.text(), /계정이 활성화되었습니다/);
  assert.equal(sql(`SELECT status || ' ' || name FROM users WHERE id = ${uid}`), 'active 새 이름');
  assert.equal(audit('invitation_accepted', uid), 1);
  const user = await signIn(email, PW);
  assert.equal(user.me.role, 'vendor_staff');
  assert.equal(user.me.org_id, 1);

  // Used: 410, on the page and on a second try.
  assert.equal((await new Client().get(link)).status, 410);
  r = await c.postJSON('/invitation', { token, name: 'x', password: PW });
  assert.equal(r.res.status, 410);
  assert.equal(r.body.error.code, 'gone');
});

test('unknown and expired invitations are 404 and 410 pages', async () => {
  const c = new Client();
  for (const t of ['', 'x', 'A'.repeat(43), '<script>', 'A'.repeat(500)]) {
    const res = await c.get('/invitation?token=' + encodeURIComponent(t));
    assert.equal(res.status, 404, t);
    assert.match(await res.text(), /초대 링크가 올바르지 않습니다/);
  }
  assert.equal((await c.get('/invitation')).status, 404);
  const admin = await signIn(USERS.buyer_approver);
  const email = `late${uniq()}@mois.go.kr`;
  const { res, link } = await invite(admin, { email, name: '늦은 사람', role: 'buyer' });
  assert.equal(res.status, 201);
  sql(`UPDATE invitations SET expires_at = now() - interval '1 minute'
       WHERE user_id = (SELECT id FROM users WHERE email = '${email}')`);
  const page = await c.get(link);
  assert.equal(page.status, 410);
  assert.match(await page.text(), /기한이 지난/);
  const c2 = new Client();
  c2.csrf = await c2.csrfFrom('/login');
  const r = await c2.postJSON('/invitation', { token: link.split('=')[1], name: 'x', password: PW });
  assert.equal(r.res.status, 410);
  assert.equal(sql(`SELECT status FROM users WHERE email = '${email}'`), 'invited');
});

test('invitations: roles must fit, agencies only in their domains, taken e-mails are 409', async () => {
  const agency = await signIn(USERS.buyer_approver);
  let { res } = await invite(agency, { email: `x${uniq()}@gmail.com`, name: 'x', role: 'buyer' });
  assert.equal(res.status, 400);
  let r = await agency.postJSON('/org/users', { email: `x${uniq()}@gmail.com`, name: 'x', role: 'buyer' });
  assert.equal(r.body.error.field, 'email');
  r = await agency.postJSON('/org/users', { email: `x${uniq()}@mois.go.kr`, name: 'x', role: 'vendor_staff' });
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.field, 'role');
  r = await agency.postJSON('/org/users', { email: `x${uniq()}@mois.go.kr`, name: 'x', role: 'platform_admin' });
  assert.equal(r.body.error.field, 'role');
  r = await agency.postJSON('/org/users', { email: USERS.buyer, name: 'x', role: 'buyer' });
  assert.equal(r.res.status, 409);
  assert.equal(r.body.error.field, 'email');
  // Upper case in the domain is the same domain.
  ({ res } = await invite(agency, { email: `Upper${uniq()}@MOIS.GO.KR`, name: '대문자', role: 'buyer_approver' }));
  assert.equal(res.status, 201);
  // Vendors and the operator invite any domain.
  const op = await signIn(USERS.platform_admin);
  ({ res } = await invite(op, { email: `rev${uniq()}@pps.go.kr`, name: '심사자', role: 'reviewer' }));
  assert.equal(res.status, 201);
  r = await op.postJSON('/org/users', { email: `rev${uniq()}@pps.go.kr`, name: 'x', role: 'buyer' });
  assert.equal(r.body.error.field, 'role');
  // The error page keeps the input.
  const form = await agency.post('/org/users', { email: 'who@gmail.com', name: '<i>이름</i>', role: 'buyer_approver' });
  const html = await form.text();
  assert.match(html, /value="who@gmail.com"/);
  assert.match(html, /value="&lt;i&gt;이름&lt;\/i&gt;"/);
  assert.match(html, /<option value="buyer_approver" selected>/);
});

test('the admin lists users in HTML and JSON', async () => {
  const admin = await signIn(USERS.vendor_admin);
  const html = await (await admin.get('/org/users')).text();
  assert.match(html, /staff@hanbit\.example/);
  assert.ok(!html.includes('admin@nurisoft.example'), 'only the own organisation');
  for (const path of ['/api/v1/org/users', '/org/users']) {
    const { res, body } = await admin.getJSON(path);
    assert.equal(res.status, 200, path);
    const staff = body.users.find((u) => u.email === USERS.vendor_staff);
    assert.equal(staff.role, 'vendor_staff');
    assert.equal(staff.status, 'active');
    assert.equal(staff.locked, false);
    assert.ok('last_login_at' in staff);
    assert.ok(!('password_hash' in staff));
    assert.ok(body.users.every((u) => u.email.endsWith('hanbit.example') || !u.email.includes('nurisoft')));
  }
  // Not for staff, not for anonymous.
  const staff = await signIn(USERS.vendor_staff);
  assert.equal((await staff.getJSON('/api/v1/org/users')).res.status, 403);
  assert.equal((await new Client().getJSON('/api/v1/org/users')).res.status, 401);
});

test('role change and deactivation by the admin; the session ends at once', async () => {
  const admin = await signIn(USERS.vendor_admin);
  const u = newUser(1, 'vendor_staff', 'hanbit.example');
  const user = await signIn(u.email);
  assert.equal((await user.getJSON('/api/v1/me')).res.status, 200);

  let res = await admin.post(`/org/users/${u.id}/role`, { role: 'vendor_admin' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/org/users?done=role_changed');
  assert.match(await (await admin.get('/org/users?done=role_changed')).text(), /역할을 바꾸었습니다/);
  assert.equal(sql(`SELECT role FROM users WHERE id = ${u.id}`), 'vendor_admin');
  assert.equal(sql(`SELECT summary->>'before' || '>' || (summary->>'after') FROM audit_events
    WHERE action = 'role_changed' AND object_id = '${u.id}'`), 'vendor_staff>vendor_admin');
  let r = await admin.postJSON(`/org/users/${u.id}/role`, { role: 'vendor_staff' });
  assert.equal(r.res.status, 200);
  assert.deepEqual([r.body.before, r.body.role, r.body.changed], ['vendor_admin', 'vendor_staff', true]);
  // The same role again changes nothing and writes nothing.
  r = await admin.postJSON(`/org/users/${u.id}/role`, { role: 'vendor_staff' });
  assert.equal(r.body.changed, false);
  assert.equal(audit('role_changed', u.id), 2);
  r = await admin.postJSON(`/org/users/${u.id}/role`, { role: 'buyer' });
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.field, 'role');

  res = await admin.post(`/org/users/${u.id}/deactivate`, {});
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/org/users?done=deactivated');
  assert.equal((await user.getJSON('/api/v1/me')).res.status, 401);
  assert.equal(sql(`SELECT status FROM users WHERE id = ${u.id}`), 'deactivated');
  assert.equal(sql(`SELECT count(*) FROM sessions WHERE user_id = ${u.id} AND revoked_at IS NULL`), '0');
  assert.equal(audit('user_deactivated', u.id), 1);
  // Signing in again does not work either.
  const again = new Client();
  again.csrf = await again.csrfFrom('/login');
  assert.equal((await again.post('/login', { email: u.email, password: DEMO_PASSWORD })).status, 401);
  const list = await admin.getJSON('/api/v1/org/users');
  assert.equal(list.body.users.find((x) => x.id === u.id).status, 'deactivated');
});

test('an admin cannot deactivate or demote themselves (409)', async () => {
  const admin = await signIn(USERS.buyer_approver);
  const self = admin.me.id;
  let r = await admin.postJSON(`/org/users/${self}/deactivate`, {});
  assert.equal(r.res.status, 409);
  assert.equal(r.body.error.code, 'conflict');
  assert.match(r.body.error.message, /자신의 계정/);
  r = await admin.postJSON(`/org/users/${self}/role`, { role: 'buyer' });
  assert.equal(r.res.status, 409);
  assert.match(r.body.error.message, /자신의 역할/);
  const page = await admin.post(`/org/users/${self}/deactivate`, {});
  assert.equal(page.status, 409);
  assert.match(await page.text(), /자신의 계정은 비활성화할 수 없습니다/);
  assert.equal(sql(`SELECT status || ' ' || role FROM users WHERE id = ${self}`), 'active buyer_approver');
  // The page offers no controls on oneself.
  const html = await (await admin.get('/org/users')).text();
  assert.ok(!html.includes(`/org/users/${self}/deactivate`));
});

test('unlock clears a lockout and is audited', async () => {
  const admin = await signIn(USERS.vendor_admin);
  const u = newUser(1, 'vendor_staff', 'hanbit.example');
  sql(`UPDATE users SET failed_logins = 5, locked_until = now() + interval '15 minutes' WHERE id = ${u.id}`);
  const c = new Client();
  c.csrf = await c.csrfFrom('/login');
  assert.equal((await c.post('/login', { email: u.email, password: DEMO_PASSWORD })).status, 423);
  const html = await (await admin.get('/org/users')).text();
  assert.match(html, new RegExp(`/org/users/${u.id}/unlock`));
  const res = await admin.post(`/org/users/${u.id}/unlock`, {});
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/org/users?done=unlocked');
  assert.equal(sql(`SELECT failed_logins || ' ' || (locked_until IS NULL) FROM users WHERE id = ${u.id}`), '0 true');
  assert.equal(sql(`SELECT summary->>'was_locked' FROM audit_events WHERE action = 'user_unlocked'
    AND object_id = '${u.id}'`), 'true');
  assert.equal((await c.post('/login', { email: u.email, password: DEMO_PASSWORD })).status, 303);
});

test('an admin of organisation B gets 404 on the users and keys of organisation A', async () => {
  const a = await signIn(USERS.vendor_admin);          // 한빛 (org 1)
  const b = await signIn(USERS.other_vendor_admin);    // 누리소프트 (org 2)
  const victim = newUser(1, 'vendor_staff', 'hanbit.example');
  for (const [path, form] of [[`/org/users/${victim.id}/role`, { role: 'vendor_admin' }],
    [`/org/users/${victim.id}/deactivate`, {}], [`/org/users/${victim.id}/unlock`, {}]]) {
    const r = await b.postJSON(path, form);
    assert.equal(r.res.status, 404, path);
    assert.equal(r.body.error.code, 'not_found');
    assert.equal((await b.post(path, form)).status, 404, path);
  }
  assert.equal(sql(`SELECT status || ' ' || role FROM users WHERE id = ${victim.id}`), 'active vendor_staff');
  assert.equal(audit('role_changed', victim.id) + audit('user_deactivated', victim.id), 0);
  // An agency admin on a vendor's user, and ids that do not exist.
  const agency = await signIn(USERS.other_buyer_approver);
  assert.equal((await agency.postJSON(`/org/users/${victim.id}/deactivate`, {})).res.status, 404);
  assert.equal((await b.postJSON('/org/users/99999999/deactivate', {})).res.status, 404);
  // Keys.
  const made = await a.postJSON('/org/keys', { name: 'A의 키', scope: 'read' });
  assert.equal(made.res.status, 201);
  const r = await b.postJSON(`/org/keys/${made.body.id}/revoke`, {});
  assert.equal(r.res.status, 404);
  assert.equal(sql(`SELECT revoked_at IS NULL FROM api_keys WHERE id = ${made.body.id}`), 't');
  const keys = await (await b.get('/org/keys')).text();
  assert.ok(!keys.includes(made.body.key_id));
  // Staff of the same organisation cannot manage at all.
  const staff = await signIn(USERS.vendor_staff);
  assert.equal((await staff.postJSON(`/org/users/${victim.id}/deactivate`, {})).res.status, 403);
  assert.equal((await staff.postJSON(`/org/keys/${made.body.id}/revoke`, {})).res.status, 403);
});

test('API key: created, shown once, works as Bearer, revoked gets 401', async () => {
  const admin = await signIn(USERS.vendor_admin);
  // Two ticked checkboxes: the same field twice.
  const form = new URLSearchParams([['csrf', admin.csrf], ['name', '사용량 보고 서버'], ['scope', 'read'],
    ['scope', 'usage:write']]).toString();
  const created = await fetch(BASE + '/org/keys', { method: 'POST', redirect: 'manual', body: form,
    headers: { cookie: admin.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(created.status, 201);
  assert.match(created.headers.get('cache-control'), /no-store/);
  const html = await created.text();
  const key = html.match(/id="api-key" value="(gur_live_[^"]+)"/)[1];
  assert.equal(key.length, 61);
  const keyId = key.slice(9, 17);
  const row = sql(`SELECT id || ' ' || array_to_string(scopes, ',') || ' ' || (key_hash <> '${key}')
    FROM api_keys WHERE key_id = '${keyId}'`).split(' ');
  assert.deepEqual(row.slice(1), ['read,usage:write', 'true']);
  assert.equal(audit('api_key_created', row[0]), 1);

  const list = await (await admin.get('/org/keys')).text();
  assert.match(list, new RegExp(`gur_live_${keyId}…`));
  assert.ok(!list.includes(key), 'never shown again');

  let me = await fetch(BASE + '/api/v1/me', { headers: { authorization: `Bearer ${key}` } });
  assert.equal(me.status, 200);
  const body = await me.json();
  assert.equal(body.org_id, 1);
  assert.equal(body.role, 'api_key_vendor');
  assert.equal(sql(`SELECT last_used_at IS NOT NULL FROM api_keys WHERE key_id = '${keyId}'`), 't');

  const rv = await admin.post(`/org/keys/${row[0]}/revoke`, {});
  assert.equal(rv.status, 303);
  assert.equal(rv.headers.get('location'), '/org/keys?done=revoked');
  me = await fetch(BASE + '/api/v1/me', { headers: { authorization: `Bearer ${key}` } });
  assert.equal(me.status, 401);
  assert.equal(audit('api_key_revoked', row[0]), 1);
  // Revoking twice is fine and writes nothing more.
  const again = await admin.postJSON(`/org/keys/${row[0]}/revoke`, {});
  assert.equal(again.res.status, 200);
  assert.equal(again.body.changed, false);
  assert.equal(audit('api_key_revoked', row[0]), 1);
  assert.match(await (await admin.get('/org/keys')).text(), /폐기됨/);
});

test('API key scopes fit the organisation; at least one; the key cannot manage keys', async () => {
  const vendor = await signIn(USERS.vendor_admin);
  const agency = await signIn(USERS.buyer_approver);
  const op = await signIn(USERS.platform_admin);
  const cases = [
    [vendor, [], 'scope'],
    [vendor, ['invoices:read'], 'scope'],
    [vendor, ['admin'], 'scope'],
    [agency, ['usage:write'], 'scope'],
    [op, ['invoices:read'], 'scope'],
  ];
  for (const [c, scope, field] of cases) {
    const r = await c.postJSON('/org/keys', { name: 'k', ...(scope.length ? { scope: scope[0] } : {}) });
    assert.equal(r.res.status, 400, JSON.stringify(scope));
    assert.equal(r.body.error.field, field);
  }
  let r = await vendor.postJSON('/org/keys', { name: '', scope: 'read' });
  assert.equal(r.body.error.field, 'name');
  r = await agency.postJSON('/org/keys', { name: '청구서 조회', scope: 'invoices:read' });
  assert.equal(r.res.status, 201);
  assert.deepEqual(r.body.scopes, ['invoices:read']);
  const key = r.body.key;
  // Agency key: its scope has no read, so /api/v1/me (read) is 403.
  let me = await fetch(BASE + '/api/v1/me', { headers: { authorization: `Bearer ${key}` } });
  assert.equal(me.status, 403);
  // A key cannot manage keys or users.
  me = await fetch(BASE + '/api/v1/org/users', { headers: { authorization: `Bearer ${key}` } });
  assert.equal(me.status, 403);
  // The form lists only the scopes the kind may hold.
  const vf = await (await vendor.get('/org/keys/new')).text();
  assert.match(vf, /value="usage:write"/);
  assert.ok(!vf.includes('value="invoices:read"'));
  const af = await (await agency.get('/org/keys/new')).text();
  assert.match(af, /value="invoices:read"/);
  assert.ok(!af.includes('value="usage:write"'));
  // HTML error keeps the name and the ticked scopes.
  const page = await agency.post('/org/keys', { name: '이름 유지', scope: 'usage:write' });
  assert.equal(page.status, 400);
  const html = await page.text();
  assert.match(html, /value="이름 유지"/);
  assert.equal(errorField(html)[1], 'scope');
});

test('organisation forms need the session CSRF token (403)', async () => {
  const admin = await signIn(USERS.vendor_admin);
  const u = newUser(1, 'vendor_staff', 'hanbit.example');
  const posts = [
    ['/org/users', { email: `c${uniq()}@hanbit.example`, name: 'x', role: 'vendor_staff' }],
    [`/org/users/${u.id}/role`, { role: 'vendor_admin' }],
    [`/org/users/${u.id}/deactivate`, {}],
    [`/org/users/${u.id}/unlock`, {}],
    ['/org/keys', { name: 'k', scope: 'read' }],
    ['/org/keys/1/revoke', {}],
  ];
  const other = await signIn(USERS.other_vendor_admin);
  for (const [path, form] of posts) {
    for (const csrf of ['', 'nope', other.csrf]) {
      const res = await admin.request(path, { method: 'POST', form: { ...form, csrf },
        headers: { accept: 'application/json' } });
      assert.equal(res.status, 403, `${path} csrf=${csrf}`);
      assert.equal((await res.json()).error.code, 'csrf_failed');
    }
  }
  assert.equal(sql(`SELECT status || ' ' || role FROM users WHERE id = ${u.id}`), 'active vendor_staff');
});

test('scripts in names are rendered escaped everywhere', async () => {
  const admin = await signIn(USERS.vendor_admin);
  const evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>';
  const email = `xss${uniq()}@hanbit.example`;
  const { res, html, link } = await invite(admin, { email, name: evil, role: 'vendor_staff' });
  assert.equal(res.status, 201);
  assert.ok(!html.includes('<script>alert(1)'));
  const list = await (await admin.get('/org/users')).text();
  assert.ok(!list.includes('<script>alert(1)'));
  assert.ok(!list.includes('<img src=x'));
  assert.match(list, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  const page = await (await new Client().get(link)).text();
  assert.ok(!page.includes('<script>alert(1)'));
  const k = await admin.post('/org/keys', { name: evil, scope: 'read' });
  assert.equal(k.status, 201);
  assert.ok(!(await k.text()).includes('<script>alert(1)'));
  const keys = await (await admin.get('/org/keys')).text();
  assert.ok(!keys.includes('<script>alert(1)'));
  // Vendor sign-up with a script company name.
  const c = await anon('/signup/vendor');
  const v = await c.post('/signup/vendor', vendorForm({ name_ko: evil }));
  assert.equal(v.status, 201);
  assert.ok(!(await v.text()).includes('<script>alert(1)'));
  // The mail body keeps the text as typed (it is plain text, not HTML).
  assert.equal(sql(`SELECT name FROM users WHERE email = '${email}'`), evil);
});

test('SQL metacharacters are data', async () => {
  const c = await anon('/signup/agency');
  const name = "Robert'); DROP TABLE users;-- \\ % _ $1";
  const email = `o'brien${uniq()}@mois.go.kr`;
  const res = await c.post('/signup/agency', { agency: '101', name, email, password: PW });
  assert.equal(res.status, 201);
  assert.equal(sql(`SELECT name FROM users WHERE email = '${email.replace("'", "''")}'`), name);
  const u = await signIn(email, PW);
  assert.equal(u.me.name, name);
  const admin = await signIn(USERS.vendor_admin);
  const k = await admin.postJSON('/org/keys', { name: "'; DELETE FROM api_keys; --", scope: 'read' });
  assert.equal(k.res.status, 201);
  assert.equal(k.body.name, "'; DELETE FROM api_keys; --");
  for (const id of ["1' OR '1'='1", '1;DROP', '0', '-1']) {
    const r = await admin.request(`/org/users/${encodeURIComponent(id)}/deactivate`, { method: 'POST',
      form: {}, headers: { accept: 'application/json' } });
    assert.equal(r.status, 404, id);
  }
  const v = await anon('/signup/vendor');
  const r = await v.postJSON('/signup/vendor', vendorForm({ biz_no: "123-45-6789' OR 1=1" }));
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.field, 'biz_no');
});

test('over-long and odd fields are 400s, not 500s', async () => {
  const c = await anon('/signup/agency');
  const email = `long${uniq()}@mois.go.kr`;
  const cases = [
    [{ agency: '101', name: '가'.repeat(101), email, password: PW }, 'name', 'too_long'],
    [{ agency: '101', name: 'a', email: 'a'.repeat(250) + '@mois.go.kr', password: PW }, 'email', 'too_long'],
    [{ agency: '101', name: 'a', email, password: 'p'.repeat(300) }, 'password', 'too_long'],
    [{ agency: '101', name: 'a\u0085b', email, password: PW }, 'name', 'invalid_parameter'],
    [{ agency: '9'.repeat(40), name: 'a', email, password: PW }, 'agency', 'invalid_parameter'],
  ];
  for (const [form, field, code] of cases) {
    const { res, body } = await c.postJSON('/signup/agency', form);
    assert.equal(res.status, 400, JSON.stringify(form).slice(0, 80));
    assert.equal(body.error.field, field);
    assert.equal(body.error.code, code);
  }
  // Exactly at the limit is fine.
  const ok = await c.postJSON('/signup/agency', { agency: '101', name: '가'.repeat(100), email, password: PW });
  assert.equal(ok.res.status, 201);
  const v = await anon('/signup/vendor');
  for (const [over, field] of [[{ name_ko: 'x'.repeat(201) }, 'name_ko'], [{ name_en: 'x'.repeat(201) }, 'name_en'],
    [{ address: '주'.repeat(301) }, 'address'], [{ contact_name: 'x'.repeat(101) }, 'contact_name'],
    [{ contact_phone: '1'.repeat(41) }, 'contact_phone'], [{ website: 'https://' + 'x'.repeat(300) }, 'website'],
    [{ admin_name: 'x'.repeat(101) }, 'admin_name'], [{ biz_no: '1'.repeat(5000) }, 'biz_no']]) {
    const { res, body } = await v.postJSON('/signup/vendor', vendorForm(over));
    assert.equal(res.status, 400, field);
    assert.equal(body.error.field, field);
  }
  const admin = await signIn(USERS.vendor_admin);
  let r = await admin.postJSON('/org/users', { email: `x${uniq()}@hanbit.example`, name: 'x'.repeat(101),
    role: 'vendor_staff' });
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.code, 'too_long');
  r = await admin.postJSON('/org/keys', { name: 'k'.repeat(101), scope: 'read' });
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.field, 'name');
  r = await admin.postJSON('/org/users/5/role', { role: 'r'.repeat(5000) });
  assert.equal(r.res.status, 400);
  // Unknown form fields are refused by name.
  r = await admin.postJSON('/org/keys', { name: 'k', scope: 'read', admin: '1' });
  assert.equal(r.res.status, 400);
  assert.equal(r.body.error.code, 'unknown_parameter');
  // JSON bodies with the wrong types.
  const j = await fetch(BASE + '/org/keys', { method: 'POST', headers: { cookie: admin.cookieHeader(),
    'content-type': 'application/json', 'x-csrf-token': admin.csrf, accept: 'application/json' },
  body: JSON.stringify({ name: 'k', scope: [1, 2] }) });
  assert.equal(j.status, 400);
  const health = await fetch(BASE + '/healthz');
  assert.equal(health.status, 200);
});

test('signed-in users are sent home from the sign-up pages; pages need the right role', async () => {
  const buyer = await signIn(USERS.buyer);
  for (const p of ['/signup', '/signup/agency', '/signup/vendor']) {
    const res = await buyer.get(p);
    assert.equal(res.status, 303, p);
    assert.equal(res.headers.get('location'), '/home');
  }
  for (const p of ['/org/users', '/org/users/new', '/org/keys', '/org/keys/new'])
    assert.equal((await buyer.get(p)).status, 403, p);
  const res = await fetch(BASE + '/org/users', { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/login?next=%2Forg%2Fusers');
  for (const p of ['/signup', '/signup/agency', '/signup/vendor'])
    assert.equal((await fetch(BASE + p)).status, 200, p);
});

test('every page renders from its first byte, in Korean and in English', async () => {
  const admin = await signIn(USERS.vendor_admin);
  const agency = await signIn(USERS.buyer_approver);
  const visitor = new Client();
  const pages = [[visitor, '/signup'], [visitor, '/signup/agency'], [visitor, '/signup/vendor'],
    [admin, '/org/users'], [admin, '/org/users/new'], [admin, '/org/keys'], [admin, '/org/keys/new'],
    [agency, '/org/users'], [agency, '/org/users/new'], [agency, '/org/keys/new']];
  for (const [c, path] of pages) {
    for (const lang of ['ko', 'en']) {
      const res = await c.get(path, { 'accept-language': lang });
      assert.equal(res.status, 200, path);
      const html = await res.text();
      assert.ok(html.startsWith('<!doctype html>'), `${path}: ${html.slice(0, 60)}`);
      assert.match(html, new RegExp(`<html lang="${lang}"`));
      const text = html.replace(/<[^>]*>/g, ' ');
      assert.doesNotMatch(text, /\b(signup|invite|org|key)\.[a-z_]{3,}\b/, `${path} ${lang}: a string key shows`);
      for (const m of html.matchAll(/<form [^>]*method="post"[^>]*>([\s\S]*?)<\/form>/g))
        assert.match(m[1], /name="csrf" value="[^"]{16,}"/, `${path}: a form without its CSRF token`);
    }
  }
  const en = await (await admin.get('/org/users', { 'accept-language': 'en' })).text();
  assert.match(en, /Vendor staff/);
  assert.match(en, /Deactivate/);
});

test('API clients: JSON bodies for sign-up and invitations, bearer tokens for admins', async () => {
  const post = (path, body, headers = {}) => fetch(BASE + path, { method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body) });
  const email = `json${uniq()}@msit.go.kr`;
  let res = await post('/signup/agency', { agency: 102, name: 'JSON 가입', email, password: PW });
  assert.equal(res.status, 201);
  let body = await res.json();
  assert.deepEqual([body.user.email, body.user.role, body.user.status], [email, 'buyer', 'active']);
  assert.ok(!JSON.stringify(body).includes('argon2'), 'no hash in the answer');
  res = await post('/signup/vendor', { ...vendorForm(), company_size: 'large' });
  assert.equal(res.status, 201);
  body = await res.json();
  assert.equal(body.status, 'applied');
  assert.ok(Number.isInteger(body.org_id));
  res = await post('/signup/vendor', { ...vendorForm(), biz_no: 1234567890 });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.field, 'biz_no');

  const { apiToken } = await import('./lib.mjs');
  const token = await apiToken(USERS.other_vendor_admin);
  const auth = { authorization: `Bearer ${token}` };
  const list = await fetch(BASE + '/api/v1/org/users', { headers: auth });
  assert.equal(list.status, 200);
  assert.ok((await list.json()).users.some((u) => u.email === USERS.other_vendor_staff));
  const inv = `api${uniq()}@nurisoft.example`;
  res = await post('/org/users', { email: inv, name: 'API 초대', role: 'vendor_staff' },
    auth);
  assert.equal(res.status, 201);
  body = await res.json();
  assert.match(body.link, /^\/invitation\?token=/);
  assert.equal(body.user.status, 'invited');
  res = await post('/invitation', { token: body.link.split('=')[1], name: 'API 사용자', password: PW });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).user.status, 'active');
  res = await post('/org/keys', { name: 'API로 만든 키', scope: ['read', 'usage:write'] }, auth);
  assert.equal(res.status, 201);
  body = await res.json();
  assert.match(body.key, /^gur_live_/);
  assert.deepEqual(body.scopes, ['read', 'usage:write']);
  res = await post(`/org/keys/${body.id}/revoke`, {}, auth);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).changed, true);
});

test('deactivating an invited user withdraws the invitation (410)', async () => {
  const admin = await signIn(USERS.vendor_admin);
  const email = `withdrawn${uniq()}@hanbit.example`;
  const { res, link } = await invite(admin, { email, name: '철회', role: 'vendor_staff' });
  assert.equal(res.status, 201);
  const id = sql(`SELECT id FROM users WHERE email = '${email}'`);
  const r = await admin.postJSON(`/org/users/${id}/deactivate`, {});
  assert.equal(r.res.status, 200);
  assert.deepEqual([r.body.before, r.body.status, r.body.sessions_revoked], ['invited', 'deactivated', 0]);
  const page = await new Client().get(link);
  assert.equal(page.status, 410);
  assert.match(await page.text(), /철회된 초대/);
  const c = new Client();
  c.csrf = await c.csrfFrom('/login');
  const a = await c.postJSON('/invitation', { token: link.split('=')[1], name: 'x', password: PW });
  assert.equal(a.res.status, 410);
  assert.equal(sql(`SELECT status FROM users WHERE id = ${id}`), 'deactivated');
});
