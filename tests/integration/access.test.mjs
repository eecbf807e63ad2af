// Every route of app/routes.c, called as every role: anonymous, each role
// of organisation A, each role of another organisation B of the same kind,
// asserting the exact status. The expectations below are written by hand,
// independently of the route table: a route added to app/routes.c without
// a line here fails the first test.
//
// Requests ask for JSON, so outcomes are statuses, not redirects; a
// separate test checks that browsers are sent to the sign-in page.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Client, signIn, USERS, BASE } from './lib.mjs';

const ROLES = ['buyer', 'buyer_approver', 'vendor_admin', 'vendor_staff', 'reviewer', 'auditor',
  'platform_admin'];
const OTHER = ['other_buyer', 'other_buyer_approver', 'other_vendor_admin', 'other_vendor_staff'];
const ALL = ['anonymous', ...ROLES, ...OTHER];
const USERS_ALL = [...ROLES, ...OTHER];

// Role sets, by the role's base name (other_buyer counts as buyer).
const base = (p) => p.replace(/^other_/, '');
const AGENCY = ['buyer', 'buyer_approver'];
const ORG_ADMIN = ['buyer_approver', 'vendor_admin', 'platform_admin'];
const OPS_READ = ['reviewer', 'auditor', 'platform_admin'];
const OPS_WRITE = ['reviewer', 'platform_admin'];

// Shorthands for expectations: a function from principal to status.
const everyone = (s) => () => s;
const signedIn = (s) => (p) => (p === 'anonymous' ? 401 : s);
const roles = (list, s) => (p) => (p === 'anonymous' ? 401 : list.includes(base(p)) ? s : 403);

// "METHOD path" → { path to call, body, expect(principal) → status }.
// Ids: listing 1 is published, user 2 is approver@mois (organisation A).
const EXPECT = {
  'GET /': { expect: everyone(200) },
  'GET /search': { expect: everyone(200) },
  'GET /api/v1/search': { expect: everyone(200) },
  'GET /services/:id': { path: '/services/1', expect: everyone(200) },
  'GET /api/v1/services/:id': { path: '/api/v1/services/1', expect: everyone(200) },
  'GET /healthz': { expect: everyone(200) },
  'GET /lang': { path: '/lang?set=en&next=/', expect: everyone(303) },
  'GET /static/gureum.css': { expect: everyone(200) },
  'GET /static/gureum.js': { expect: everyone(200) },
  'GET /login': { expect: everyone(200) },
  'POST /login': { form: {}, expect: everyone(400) },
  'POST /logout': { form: {}, expect: signedIn(200), signsOut: true },
  'POST /logout-all': { form: {}, expect: signedIn(200), signsOut: true },
  'GET /home': { expect: signedIn(200) },
  'POST /api/v1/sessions': { json: {}, expect: everyone(400) },
  'POST /api/v1/logout': { json: {}, expect: signedIn(200), signsOut: true },
  'GET /api/v1/me': { expect: signedIn(200) },

  // Sign-up and invitations: forms for people without an account. A
  // signed-in caller asking for JSON gets the same answer (browsers are
  // sent home, checked below). Empty forms are refused with 400.
  'GET /signup': { expect: everyone(200) },
  'GET /signup/agency': { expect: everyone(200) },
  'POST /signup/agency': { form: {}, expect: everyone(400) },
  'GET /signup/vendor': { expect: everyone(200) },
  'POST /signup/vendor': { form: {}, expect: everyone(400) },
  // An invitation link without a valid token is a link that does not exist.
  'GET /invitation': { expect: everyone(404) },
  'POST /invitation': { form: {}, expect: everyone(404) },

  // Users and keys of one's own organisation: organisation admins only.
  // A user of another organisation answers 404, as if it did not exist;
  // id 999999 exists nowhere.
  'GET /org/users': { expect: roles(ORG_ADMIN, 200) },
  'GET /api/v1/org/users': { expect: roles(ORG_ADMIN, 200) },
  'GET /org/users/new': { expect: roles(ORG_ADMIN, 200) },
  'POST /org/users': { form: {}, expect: roles(ORG_ADMIN, 400) },
  // buyer@mois keeps the role it has: its own admin may set it, the other
  // agency's admin cannot see the user, and for vendor and operator admins
  // 'buyer' is not a role of their organisation (400, before any lookup).
  'POST /org/users/:id/role': { path: '/org/users/1/role', form: { role: 'buyer' },
    expect: (p) => (p === 'anonymous' ? 401 : !ORG_ADMIN.includes(base(p)) ? 403
      : p === 'buyer_approver' ? 200 : p === 'other_buyer_approver' ? 404 : 400) },
  'POST /org/users/:id/deactivate': { path: '/org/users/999999/deactivate', form: {},
    expect: roles(ORG_ADMIN, 404) },
  'POST /org/users/:id/unlock': { path: '/org/users/999999/unlock', form: {},
    expect: roles(ORG_ADMIN, 404) },
  'GET /org/keys': { expect: roles(ORG_ADMIN, 200) },
  'GET /org/keys/new': { expect: roles(ORG_ADMIN, 200) },
  'POST /org/keys': { form: {}, expect: roles(ORG_ADMIN, 400) },
  'POST /org/keys/:id/revoke': { path: '/org/keys/999999/revoke', form: {},
    expect: roles(ORG_ADMIN, 404) },

  // Vendor review and the audit log: the procurement office. Vendor 1 is
  // approved (read only); decisions address a vendor that does not exist,
  // so walking the table changes nothing.
  'GET /admin/vendors': { expect: roles(OPS_READ, 200) },
  'GET /admin/vendors/:id': { path: '/admin/vendors/1', expect: roles(OPS_READ, 200) },
  'POST /admin/vendors/:id/approve': { path: '/admin/vendors/999999/approve', form: {},
    expect: roles(OPS_WRITE, 404) },
  'POST /admin/vendors/:id/reject': { path: '/admin/vendors/999999/reject', form: {},
    expect: roles(OPS_WRITE, 400) },
  'POST /admin/vendors/:id/suspend': { path: '/admin/vendors/999999/suspend', form: {},
    expect: roles(OPS_WRITE, 400) },
  'GET /api/v1/admin/vendors': { expect: roles(OPS_READ, 200) },
  'GET /api/v1/admin/vendors/:id': { path: '/api/v1/admin/vendors/1', expect: roles(OPS_READ, 200) },
  'POST /api/v1/admin/vendors/:id/approve': { path: '/api/v1/admin/vendors/999999/approve',
    json: {}, expect: roles(OPS_WRITE, 404) },
  'POST /api/v1/admin/vendors/:id/reject': { path: '/api/v1/admin/vendors/999999/reject',
    json: {}, expect: roles(OPS_WRITE, 400) },
  'POST /api/v1/admin/vendors/:id/suspend': { path: '/api/v1/admin/vendors/999999/suspend',
    json: {}, expect: roles(OPS_WRITE, 400) },
  'GET /audit': { expect: roles(OPS_READ, 200) },
  'GET /audit.csv': { expect: roles(OPS_READ, 200) },
  'GET /api/v1/audit': { expect: roles(OPS_READ, 200) },

  // Vendors' listings and the listing review.
  // EXPECT:LISTINGS
  // Listing 1 is Hanbit's (vendor_admin/vendor_staff), published, with no
  // version yet (demo data): other vendors get 404 for it. 999999 exists
  // nowhere, so writes change nothing; empty bodies are refused with 400
  // before anything is looked up where the handler validates first.
  ...(() => {
  const VENDOR = ['vendor_admin', 'vendor_staff'];
  // Hanbit's own listing: its vendors get s, the other vendor 404.
  const ownVendor = (s) => (p) => (p === 'anonymous' ? 401 : !VENDOR.includes(base(p)) ? 403
    : p.startsWith('other_') ? 404 : s);
  return {
  'GET /vendor/listings': { expect: roles(VENDOR, 200) },
  'GET /api/v1/vendor/listings': { expect: roles(VENDOR, 200) },
  'GET /vendor/listings/new': { expect: roles(VENDOR, 200) },
  'POST /vendor/listings': { form: {}, expect: roles(VENDOR, 400) },
  'POST /api/v1/vendor/listings': { json: {}, expect: roles(VENDOR, 400) },
  'GET /vendor/listings/:id': { path: '/vendor/listings/1', expect: ownVendor(200) },
  'GET /api/v1/vendor/listings/:id': { path: '/api/v1/vendor/listings/1', expect: ownVendor(200) },
  'GET /vendor/listings/:id/edit': { path: '/vendor/listings/1/edit', expect: ownVendor(200) },
  'POST /vendor/listings/:id': { path: '/vendor/listings/999999', form: {}, expect: roles(VENDOR, 404) },
  'POST /api/v1/vendor/listings/:id': { path: '/api/v1/vendor/listings/999999', json: {},
    expect: roles(VENDOR, 404) },
  'POST /vendor/listings/:id/submit': { path: '/vendor/listings/999999/submit', form: {},
    expect: roles(VENDOR, 404) },
  'POST /api/v1/vendor/listings/:id/submit': { path: '/api/v1/vendor/listings/999999/submit', json: {},
    expect: roles(VENDOR, 404) },
  'GET /vendor/listings/:id/versions': { path: '/vendor/listings/1/versions', expect: ownVendor(200) },
  'GET /api/v1/vendor/listings/:id/versions': { path: '/api/v1/vendor/listings/1/versions',
    expect: ownVendor(200) },
  // No version yet: "to" names one that does not exist.
  'GET /vendor/listings/:id/diff': { path: '/vendor/listings/1/diff', expect: ownVendor(400) },
  'GET /api/v1/vendor/listings/:id/diff': { path: '/api/v1/vendor/listings/1/diff', expect: ownVendor(400) },
  'GET /review': { expect: roles(OPS_READ, 200) },
  'GET /api/v1/review': { expect: roles(OPS_READ, 200) },
  'GET /review/listings/:id': { path: '/review/listings/1', expect: roles(OPS_READ, 200) },
  'GET /api/v1/review/listings/:id': { path: '/api/v1/review/listings/1', expect: roles(OPS_READ, 200) },
  'POST /review/listings/:id/decide': { path: '/review/listings/999999/decide', form: {},
    expect: roles(OPS_WRITE, 400) },
  'POST /api/v1/review/listings/:id/decide': { path: '/api/v1/review/listings/999999/decide', json: {},
    expect: roles(OPS_WRITE, 400) },
  'POST /review/listings/:id/status': { path: '/review/listings/999999/status', form: {},
    expect: roles(OPS_WRITE, 400) },
  'POST /api/v1/review/listings/:id/status': { path: '/api/v1/review/listings/999999/status', json: {},
    expect: roles(OPS_WRITE, 400) },
  'GET /review/listings/:id/versions': { path: '/review/listings/1/versions', expect: roles(OPS_READ, 200) },
  'GET /api/v1/review/listings/:id/versions': { path: '/api/v1/review/listings/1/versions',
    expect: roles(OPS_READ, 200) },
  'GET /review/listings/:id/diff': { path: '/review/listings/1/diff', expect: roles(OPS_READ, 400) },
  'GET /api/v1/review/listings/:id/diff': { path: '/api/v1/review/listings/1/diff',
    expect: roles(OPS_READ, 400) },
  'GET /review/checklists': { expect: roles(OPS_READ, 200) },
  'GET /api/v1/review/checklists': { expect: roles(OPS_READ, 200) },
  'POST /review/checklists': { form: {}, expect: roles(['platform_admin'], 400) },
  'POST /api/v1/review/checklists': { json: {}, expect: roles(['platform_admin'], 400) },
  };
  })(),

  // Certificates.
  // EXPECT:CERTS

  // The public catalog.
  // EXPECT:PUBLIC
};

function routeTable() {
  const src = fs.readFileSync(new URL('../../app/routes.c', import.meta.url), 'utf8');
  const rows = [];
  for (const m of src.matchAll(/\{\s*"([^"]+)",\s*(M_GET|M_POST)/g))
    rows.push(`${m[2] === 'M_GET' ? 'GET' : 'POST'} ${m[1]}`);
  return rows;
}

const clients = {};

async function principal(name) {
  if (name === 'anonymous') {
    const c = new Client();
    c.csrf = await c.csrfFrom('/login');
    return c;
  }
  return signIn(USERS[name]);
}

before(async () => {
  for (const p of ALL)
    clients[p] = await principal(p);
});

test('every route in app/routes.c has an expectation here', () => {
  const rows = routeTable();
  assert.ok(rows.length >= 17);
  const missing = rows.filter((r) => !(r in EXPECT));
  assert.deepEqual(missing, [], 'routes without an access expectation');
  const stale = Object.keys(EXPECT).filter((k) => !rows.includes(k));
  assert.deepEqual(stale, [], 'expectations for routes that do not exist');
});

for (const key of Object.keys(EXPECT)) {
  const e = EXPECT[key];
  const [method, pattern] = key.split(' ');
  test(`${key} as every role`, async () => {
    const got = {};
    const want = {};
    for (const p of ALL) {
      const c = clients[p];
      const path = e.path ?? pattern;
      const headers = { accept: 'application/json' };
      let res;
      if (method === 'GET') {
        res = await c.get(path, headers);
      } else if (e.json) {
        res = await c.request(path, { method, json: e.json,
          headers: { ...headers, 'x-csrf-token': c.csrf ?? '' } });
      } else {
        res = await c.request(path, { method, form: e.form, headers });
      }
      await res.arrayBuffer();
      got[p] = res.status;
      want[p] = e.expect(p);
      if (e.signsOut && res.status === 200)
        clients[p] = await principal(p);
    }
    assert.deepEqual(got, want);
  });
}

test('a browser without a session is sent to sign in, and back', async () => {
  const res = await fetch(BASE + '/home', { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/login?next=%2Fhome');
});

test('a signed-in browser asking for the sign-in page goes home', async () => {
  const c = clients.buyer;
  const res = await c.get('/login');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/home');
});

test('the home page lists what each role can do', async () => {
  const want = {
    buyer: ['/search'],
    buyer_approver: ['/search', '/org/users', '/org/keys'],
    vendor_admin: ['/search', '/org/users', '/org/keys'],
    vendor_staff: ['/search'],
    reviewer: ['/search', '/admin/vendors', '/audit'],
    auditor: ['/search', '/audit'],
    platform_admin: ['/search', '/org/users', '/org/keys', '/admin/vendors', '/audit'],
  };
  for (const [role, links] of Object.entries(want)) {
    const html = await (await clients[role].get('/home')).text();
    const got = [...html.matchAll(/<li><a href="([^"]+)" data-action=/g)].map((m) => m[1]);
    assert.deepEqual(got, links, role);
  }
});

