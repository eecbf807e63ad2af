// Signing in and out, sessions, lockout, CSRF and bearer tokens, against
// the real server and database. Users that get locked or signed out are
// made here (psql as the owner), so the demo accounts stay usable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Client, signIn, apiToken, BASE, DEMO_PASSWORD } from './lib.mjs';

const DB = process.env.GUREUM_DATABASE;

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

let seq = 0;
// A fresh buyer of 행정안전부 with the demo password.
function newUser() {
  const email = `t${Date.now()}${seq++}@mois.go.kr`;
  sql(`INSERT INTO users (org_id, email, name, role, password_hash)
       SELECT 101, '${email}', '테스트', 'buyer', password_hash FROM users WHERE id = 1`);
  return email;
}

async function formLogin(email, password, client = new Client()) {
  if (!client.csrf)
    client.csrf = await client.csrfFrom('/login');
  const res = await client.post('/login', { email, password });
  return { client, res, html: res.status === 303 ? '' : await res.text() };
}

test('signing in through the form sets a safe session cookie', async () => {
  const email = newUser();
  const c = new Client();
  c.csrf = await c.csrfFrom('/login');
  const res = await c.post('/login', { email, password: DEMO_PASSWORD, next: '/search?q=a' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/search?q=a');
  const sid = res.headers.getSetCookie().find((s) => s.startsWith('sid='));
  assert.match(sid, /HttpOnly/);
  assert.match(sid, /SameSite=Lax/);
  assert.match(sid, /Max-Age=43200/);
  assert.doesNotMatch(sid, /Secure/);
  const me = await c.getJSON('/api/v1/me');
  assert.equal(me.body.email, email);
  assert.equal(me.body.role, 'buyer');
  // Behind a TLS proxy the cookie is Secure.
  const c2 = new Client();
  c2.csrf = await c2.csrfFrom('/login');
  const res2 = await c2.post('/login', { email, password: DEMO_PASSWORD },
    { 'x-forwarded-proto': 'https' });
  assert.match(res2.headers.getSetCookie().find((s) => s.startsWith('sid=')), /Secure/);
});

test('next may only be a local path', async () => {
  const email = newUser();
  for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil']) {
    const c = new Client();
    c.csrf = await c.csrfFrom('/login');
    const res = await c.post('/login', { email, password: DEMO_PASSWORD, next });
    assert.equal(res.headers.get('location'), '/home', next);
  }
});

test('a wrong password and an unknown user get the same answer', async () => {
  const email = newUser();
  const a = await formLogin(email, 'not-the-password');
  const b = await formLogin('nobody-here@mois.go.kr', 'not-the-password');
  assert.equal(a.res.status, 401);
  assert.equal(b.res.status, 401);
  const msg = (h) => h.match(/error-summary__list">\s*<li>([^<]*)</)?.[1];
  assert.ok(msg(a.html));
  assert.equal(msg(a.html), msg(b.html));
  // The e-mail is kept, the password never echoed.
  assert.match(a.html, new RegExp(`value="${email}"`));
  assert.ok(!a.html.includes('not-the-password'));
  // Same work: an unknown user also pays for an Argon2id verification.
  const time = async (e) => {
    const t = [];
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      await formLogin(e, 'not-the-password');
      t.push(performance.now() - s);
    }
    return t.sort((x, y) => x - y)[1];
  };
  const known = await time(newUser());
  const unknown = await time('nobody-at-all@mois.go.kr');
  assert.ok(unknown > known / 3 && unknown < known * 3, `known ${known} ms, unknown ${unknown} ms`);
});

test('five wrong passwords lock the account; the lock ends', async () => {
  const email = newUser();
  const statuses = [];
  for (let i = 0; i < 5; i++)
    statuses.push((await formLogin(email, 'wrong-password-' + i)).res.status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 423]);
  const locked = await formLogin(email, DEMO_PASSWORD);
  assert.equal(locked.res.status, 423);
  assert.match(locked.html, /15/);
  const api = await fetch(BASE + '/api/v1/sessions', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  assert.equal(api.status, 423);
  assert.equal((await api.json()).error.code, 'account_locked');
  assert.equal(sql(`SELECT count(*) FROM audit_events WHERE action = 'lockout'
    AND object_id = (SELECT id::text FROM users WHERE email = '${email}')`), '1');
  // The stated time passes.
  sql(`UPDATE users SET locked_until = now() - interval '1 second' WHERE email = '${email}'`);
  const ok = await formLogin(email, DEMO_PASSWORD);
  assert.equal(ok.res.status, 303);
  assert.equal(sql(`SELECT failed_logins FROM users WHERE email = '${email}'`), '0');
});

test('forged, expired and idle sessions are anonymous', async () => {
  const forged = new Client();
  forged.jar.sid = 'x'.repeat(43);
  let r = await forged.getJSON('/api/v1/me');
  assert.equal(r.res.status, 401);
  assert.ok(r.res.headers.getSetCookie().some((s) => /^sid=;.*Max-Age=0/.test(s)));

  const email = newUser();
  const c = await signIn(email);
  sql(`UPDATE sessions SET expires_at = now() - interval '1 second'
       WHERE user_id = (SELECT id FROM users WHERE email = '${email}')`);
  r = await c.getJSON('/api/v1/me');
  assert.equal(r.res.status, 401);

  const d = await signIn(email);
  sql(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes'
       WHERE user_id = (SELECT id FROM users WHERE email = '${email}') AND revoked_at IS NULL`);
  r = await d.getJSON('/api/v1/me');
  assert.equal(r.res.status, 401);
});

test('signing out ends the session; signing out everywhere ends them all', async () => {
  const email = newUser();
  const a = await signIn(email);
  const b = await signIn(email);
  const token = await apiToken(email);
  let res = await a.post('/logout', {});
  assert.equal(res.status, 303);
  assert.equal((await a.getJSON('/api/v1/me')).res.status, 401);
  assert.equal((await b.getJSON('/api/v1/me')).res.status, 200);

  res = await b.post('/logout-all', {});
  assert.equal(res.status, 303);
  assert.equal((await b.getJSON('/api/v1/me')).res.status, 401);
  const t = await fetch(BASE + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(t.status, 401);
  assert.match(t.headers.get('www-authenticate'), /invalid_token/);
  const actions = sql(`SELECT string_agg(action, ',' ORDER BY id) FROM audit_events
    WHERE actor_id = (SELECT id FROM users WHERE email = '${email}')`);
  assert.equal(actions, 'signin,signin,signin,signout,signout_all');
});

test('state changes need the CSRF token', async () => {
  const email = newUser();
  const c = await signIn(email);
  for (const csrf of ['', 'bad', c.csrf.slice(0, -1) + (c.csrf.endsWith('0') ? '1' : '0')]) {
    const res = await c.request('/logout', { method: 'POST', form: { csrf },
      headers: { accept: 'application/json' } });
    assert.equal(res.status, 403, csrf);
    assert.equal((await res.json()).error.code, 'csrf_failed');
  }
  // Another session's token does not fit this one.
  const other = await signIn(newUser());
  const res = await c.request('/logout', { method: 'POST', form: { csrf: other.csrf },
    headers: { accept: 'application/json' } });
  assert.equal(res.status, 403);
  assert.equal((await c.getJSON('/api/v1/me')).res.status, 200);
  // Anonymous forms: the token must match the pre-session cookie.
  const anon = new Client();
  const r2 = await anon.request('/login', { method: 'POST',
    form: { csrf: 'made-up-token-123456', email, password: DEMO_PASSWORD } });
  assert.equal(r2.status, 403);
});

test('API sign-in gives a bearer token; bearer requests need no CSRF', async () => {
  const email = newUser();
  const token = await apiToken(email);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  let res = await fetch(BASE + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).email, email);
  res = await fetch(BASE + '/api/v1/logout', { method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 200);
  res = await fetch(BASE + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 401);
  for (const bad of ['nope', 'gur_live_abcdefgh_' + 'x'.repeat(43), '']) {
    res = await fetch(BASE + '/api/v1/me', { headers: { authorization: `Bearer ${bad}` } });
    assert.equal(res.status, 401, bad);
  }
});

test('bad input to sign-in is a clear 4xx, never a 500', async () => {
  const cases = [
    [{ email: "' OR 1=1 --", password: 'x' }, 401],
    [{ email: 'a@b.c; DROP TABLE users;', password: "'; DROP TABLE users; --" }, 401],
    [{ email: 'x'.repeat(300) + '@mois.go.kr', password: 'x' }, 400],
    [{ email: '', password: 'x' }, 400],
    [{ email: 'a@mois.go.kr', password: '' }, 400],
    [{ email: 'a@mois.go.kr', password: 'p'.repeat(300) }, 400],
    [{ email: '<script>alert(1)</script>', password: 'x' }, 401],
  ];
  for (const [form, status] of cases) {
    const { res, html } = await formLogin(form.email, form.password);
    assert.equal(res.status, status, JSON.stringify(form).slice(0, 60));
    assert.ok(!html.includes('<script>alert(1)</script>'));
  }
  const res = await fetch(BASE + '/api/v1/sessions', { method: 'POST',
    headers: { 'content-type': 'text/plain' }, body: '{}' });
  assert.equal(res.status, 415);
  const r2 = await fetch(BASE + '/api/v1/sessions', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: '{"email":' });
  assert.equal(r2.status, 400);
  assert.equal(sql('SELECT count(*) > 0 FROM users'), 't');
});
