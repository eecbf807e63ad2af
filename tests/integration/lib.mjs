// Shared helpers for integration tests: sign in as a demo user through the
// real forms (CSRF and all), and make requests with that session.

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8899';
export const DEMO_PASSWORD = 'Gureum-demo-2026!';

// The demo accounts (sql/demo/0002_accounts.sql): org A and org B of each kind.
export const USERS = {
  buyer: 'buyer@mois.go.kr', buyer_approver: 'approver@mois.go.kr',
  vendor_admin: 'admin@hanbit.example', vendor_staff: 'staff@hanbit.example',
  reviewer: 'reviewer@pps.go.kr', auditor: 'auditor@pps.go.kr', platform_admin: 'admin@pps.go.kr',
  other_buyer: 'buyer@msit.go.kr', other_buyer_approver: 'approver@msit.go.kr',
  other_vendor_admin: 'admin@nurisoft.example', other_vendor_staff: 'staff@nurisoft.example',
};

function cookiesOf(res) {
  const out = {};
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

// A browser-like client: keeps cookies, knows its CSRF token.
export class Client {
  constructor() { this.jar = {}; this.csrf = null; }

  cookieHeader() {
    return Object.entries(this.jar).filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path, { method = 'GET', form, json, headers = {} } = {}) {
    const h = { ...headers };
    if (this.cookieHeader())
      h.cookie = this.cookieHeader();
    let body;
    if (form) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      const f = { ...form };
      if (!('csrf' in f) && this.csrf)
        f.csrf = this.csrf;
      body = new URLSearchParams(f).toString();
    } else if (json) {
      h['content-type'] = 'application/json';
      body = JSON.stringify(json);
    }
    const res = await fetch(BASE + path, { method, headers: h, body, redirect: 'manual' });
    Object.assign(this.jar, cookiesOf(res));
    return res;
  }

  get(path, headers) { return this.request(path, { headers }); }
  post(path, form, headers) { return this.request(path, { method: 'POST', form, headers }); }

  async getJSON(path) {
    const res = await this.get(path, { accept: 'application/json' });
    return { res, body: await res.json() };
  }

  async postJSON(path, form) {
    const res = await this.post(path, form, { accept: 'application/json' });
    const text = await res.text();
    return { res, body: text ? JSON.parse(text) : null };
  }

  // Reads the CSRF token a page carries in its forms.
  async csrfFrom(path) {
    const html = await (await this.get(path)).text();
    const m = html.match(/name="csrf" value="([^"]+)"/);
    return m ? m[1] : null;
  }
}

// Signs in through the HTML form; returns a Client with session and CSRF.
export async function signIn(email, password = DEMO_PASSWORD) {
  const c = new Client();
  c.csrf = await c.csrfFrom('/login');
  const res = await c.post('/login', { email, password });
  if (res.status !== 303)
    throw new Error(`sign-in of ${email} answered ${res.status}`);
  const me = await c.getJSON('/api/v1/me');
  c.csrf = me.body.csrf;
  c.me = me.body;
  return c;
}

// Signs in through the API; returns the bearer token.
export async function apiToken(email, password = DEMO_PASSWORD) {
  const res = await fetch(BASE + '/api/v1/sessions', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = await res.json();
  if (res.status !== 201)
    throw new Error(`API sign-in of ${email}: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}
