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
const BUYERS_OPS = [...AGENCY, 'reviewer', 'auditor', 'platform_admin'];
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

  // Shortlists and saved searches: the agency's buyers work on them, the
  // procurement office reads them. Id 999999 exists nowhere; the walk
  // changes nothing (empty forms are 400s before any lookup).
  'GET /shortlists': { expect: roles(BUYERS_OPS, 200) },
  'GET /api/v1/shortlists': { expect: roles(BUYERS_OPS, 200) },
  'POST /shortlists': { form: {}, expect: roles(AGENCY, 400) },
  'POST /api/v1/shortlists': { json: {}, expect: roles(AGENCY, 400) },
  'GET /shortlists/add': { expect: roles(AGENCY, 400) },
  'GET /shortlists/:id': { path: '/shortlists/999999', expect: roles(BUYERS_OPS, 404) },
  'GET /api/v1/shortlists/:id': { path: '/api/v1/shortlists/999999', expect: roles(BUYERS_OPS, 404) },
  'POST /shortlists/:id/items': { path: '/shortlists/999999/items', form: {}, expect: roles(AGENCY, 400) },
  'POST /api/v1/shortlists/:id/items': { path: '/api/v1/shortlists/999999/items', json: {},
    expect: roles(AGENCY, 400) },
  'POST /shortlists/:id/lock': { path: '/shortlists/999999/lock', form: {}, expect: roles(AGENCY, 404) },
  'GET /shortlists/:id/export.csv': { path: '/shortlists/999999/export.csv',
    expect: roles(BUYERS_OPS, 404) },
  'POST /shortlist-items/:id': { path: '/shortlist-items/999999', form: {}, expect: roles(AGENCY, 400) },
  'POST /shortlist-items/:id/remove': { path: '/shortlist-items/999999/remove', form: {},
    expect: roles(AGENCY, 404) },
  'GET /searches': { expect: roles(AGENCY, 200) },
  'GET /api/v1/searches': { expect: roles(AGENCY, 200) },
  'POST /searches': { form: {}, expect: roles(AGENCY, 400) },
  'POST /searches/:id/delete': { path: '/searches/999999/delete', form: {}, expect: roles(AGENCY, 404) },

  // Eligibility: systems and decisions of the agency, read by the office;
  // the agency's own decision by its approver; rule sets added by the
  // platform admin only. Empty bodies are 400s before any lookup.
  'GET /systems': { expect: roles(BUYERS_OPS, 200) },
  'GET /api/v1/systems': { expect: roles(BUYERS_OPS, 200) },
  'POST /systems': { form: {}, expect: roles(AGENCY, 400) },
  'POST /api/v1/systems': { json: {}, expect: roles(AGENCY, 400) },
  'GET /systems/:id': { path: '/systems/999999', expect: roles(BUYERS_OPS, 404) },
  'GET /api/v1/systems/:id': { path: '/api/v1/systems/999999', expect: roles(BUYERS_OPS, 404) },
  'POST /systems/:id': { path: '/systems/999999', form: {}, expect: roles(AGENCY, 404) },
  'GET /eligibility/new': { expect: roles(AGENCY, 400) },
  'GET /eligibility': { expect: roles(BUYERS_OPS, 200) },
  'GET /api/v1/eligibility': { expect: roles(BUYERS_OPS, 200) },
  'POST /eligibility': { form: {}, expect: roles(AGENCY, 400) },
  'POST /api/v1/eligibility': { json: {}, expect: roles(AGENCY, 400) },
  'GET /eligibility/:id': { path: '/eligibility/999999', expect: roles(BUYERS_OPS, 404) },
  'GET /api/v1/eligibility/:id': { path: '/api/v1/eligibility/999999', expect: roles(BUYERS_OPS, 404) },
  'POST /eligibility/:id/justify': { path: '/eligibility/999999/justify', form: {},
    expect: roles(['buyer_approver'], 400) },
  'GET /admin/rules': { expect: roles(OPS_READ, 200) },
  'GET /api/v1/admin/rules': { expect: roles(OPS_READ, 200) },
  'POST /admin/rules': { form: {}, expect: roles(['platform_admin'], 400) },

  // Contracts: every signed-in party lists its own; a step's role is
  // checked by SQL after the route admits the roles that take any step.
  'GET /quotes': { expect: roles([...AGENCY, 'vendor_admin', 'vendor_staff'], 200) },
  'GET /api/v1/quotes': { expect: roles([...AGENCY, 'vendor_admin', 'vendor_staff'], 200) },
  'GET /quotes/new': { expect: roles(AGENCY, 400) },
  'POST /quotes': { form: {}, expect: roles(AGENCY, 400) },
  'POST /api/v1/quotes': { json: {}, expect: roles(AGENCY, 400) },
  'GET /quotes/:id': { path: '/quotes/999999', expect: roles([...AGENCY, 'vendor_admin', 'vendor_staff'], 404) },
  'GET /api/v1/quotes/:id': { path: '/api/v1/quotes/999999',
    expect: roles([...AGENCY, 'vendor_admin', 'vendor_staff'], 404) },
  'POST /quotes/:id/step': { path: '/quotes/999999/step', form: {},
    expect: roles([...AGENCY, 'vendor_admin', 'vendor_staff'], 400) },
  'POST /api/v1/quotes/:id/step': { path: '/api/v1/quotes/999999/step', json: {},
    expect: roles([...AGENCY, 'vendor_admin', 'vendor_staff'], 400) },
  'GET /contracts': { expect: signedIn(200) },
  'GET /api/v1/contracts': { expect: signedIn(200) },
  'GET /contracts/new': { expect: roles(AGENCY, 400) },
  'POST /contracts': { form: {}, expect: roles(AGENCY, 400) },
  'POST /api/v1/contracts': { json: {}, expect: roles(AGENCY, 400) },
  'GET /contracts/:id': { path: '/contracts/999999', expect: signedIn(404) },
  'GET /api/v1/contracts/:id': { path: '/api/v1/contracts/999999', expect: signedIn(404) },
  'POST /contracts/:id/step': { path: '/contracts/999999/step', form: {},
    expect: roles([...AGENCY, 'vendor_admin', ...OPS_WRITE], 400) },
  'POST /api/v1/contracts/:id/step': { path: '/api/v1/contracts/999999/step', json: {},
    expect: roles([...AGENCY, 'vendor_admin', ...OPS_WRITE], 400) },
  'POST /contracts/:id/amendments': { path: '/contracts/999999/amendments', form: {},
    expect: roles(['buyer_approver', 'vendor_admin'], 400) },
  'POST /api/v1/contracts/:id/amendments': { path: '/api/v1/contracts/999999/amendments', json: {},
    expect: roles(['buyer_approver', 'vendor_admin'], 400) },
  'POST /contract-amendments/:id': { path: '/contract-amendments/999999', form: {},
    expect: roles(['buyer_approver', 'vendor_admin'], 400) },
  'GET /contracts/:id/document.pdf': { path: '/contracts/999999/document.pdf', expect: signedIn(404) },
  'GET /contracts/:id/listing': { path: '/contracts/999999/listing', expect: signedIn(404) },
  'GET /api/v1/contracts/:id/listing': { path: '/api/v1/contracts/999999/listing', expect: signedIn(404) },
  'GET /inbox': { expect: signedIn(200) },
  'GET /api/v1/inbox': { expect: signedIn(200) },
  'POST /inbox/read': { form: {}, expect: signedIn(200) },
  'GET /admin/transitions': { expect: roles(OPS_READ, 200) },
  'POST /admin/transitions/:id/close': { path: '/admin/transitions/999999/close', form: {},
    expect: roles(OPS_WRITE, 400) },

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
  // Versions 999 and 1000 do not exist: a 400 naming them for those who may see the listing.
  'GET /vendor/listings/:id/diff': { path: '/vendor/listings/1/diff?from=999&to=1000', expect: ownVendor(400) },
  'GET /api/v1/vendor/listings/:id/diff': { path: '/api/v1/vendor/listings/1/diff?from=999&to=1000', expect: ownVendor(400) },
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
  'GET /review/listings/:id/diff': { path: '/review/listings/1/diff?from=999&to=1000', expect: roles(OPS_READ, 400) },
  'GET /api/v1/review/listings/:id/diff': { path: '/api/v1/review/listings/1/diff?from=999&to=1000',
    expect: roles(OPS_READ, 400) },
  'GET /review/checklists': { expect: roles(OPS_READ, 200) },
  'GET /api/v1/review/checklists': { expect: roles(OPS_READ, 200) },
  'POST /review/checklists': { form: {}, expect: roles(['platform_admin'], 400) },
  'POST /api/v1/review/checklists': { json: {}, expect: roles(['platform_admin'], 400) },
  };
  })(),

  // Certificates.
  // EXPECT:CERTS
  // Vendor pages answer the caller's organisation only: certificate 1 and
  // listing 1 are Hanbit's (organisation A), so Nuri's users get 404.
  // Empty submissions are refused before any lookup (400); decisions and
  // deletions address ids that exist nowhere, so walking changes nothing.
  'GET /vendor/certificates': { expect: roles(['vendor_admin', 'vendor_staff'], 200) },
  'GET /api/v1/vendor/certificates': { expect: roles(['vendor_admin', 'vendor_staff'], 200) },
  'GET /vendor/certificates/new': { expect: roles(['vendor_admin', 'vendor_staff'], 200) },
  'POST /vendor/certificates': { form: {}, expect: roles(['vendor_admin', 'vendor_staff'], 400) },
  'POST /api/v1/vendor/certificates': { json: {}, expect: roles(['vendor_admin', 'vendor_staff'], 400) },
  'GET /vendor/certificates/:id': { path: '/vendor/certificates/1', expect: (p) => (p === 'anonymous' ? 401 : ['vendor_admin', 'vendor_staff'].includes(p) ? 200 : p.startsWith('other_vendor') ? 404 : 403) },
  'GET /api/v1/vendor/certificates/:id': { path: '/api/v1/vendor/certificates/1', expect: (p) => (p === 'anonymous' ? 401 : ['vendor_admin', 'vendor_staff'].includes(p) ? 200 : p.startsWith('other_vendor') ? 404 : 403) },
  'GET /review/certificates': { expect: roles(OPS_READ, 200) },
  'GET /api/v1/review/certificates': { expect: roles(OPS_READ, 200) },
  'GET /review/certificates/:id': { path: '/review/certificates/1', expect: roles(OPS_READ, 200) },
  'GET /api/v1/review/certificates/:id': { path: '/api/v1/review/certificates/1', expect: roles(OPS_READ, 200) },
  'POST /review/certificates/:id/verify': { path: '/review/certificates/999999/verify', form: {},
    expect: roles(OPS_WRITE, 404) },
  'POST /review/certificates/:id/reject': { path: '/review/certificates/999999/reject', form: {},
    expect: roles(OPS_WRITE, 400) },
  'POST /review/certificates/:id/suspend': { path: '/review/certificates/999999/suspend', form: {},
    expect: roles(OPS_WRITE, 400) },
  'POST /review/certificates/:id/reinstate': { path: '/review/certificates/999999/reinstate', form: {},
    expect: roles(OPS_WRITE, 400) },
  'POST /review/certificates/:id/revoke': { path: '/review/certificates/999999/revoke', form: {},
    expect: roles(OPS_WRITE, 400) },
  'POST /api/v1/review/certificates/:id/verify': { path: '/api/v1/review/certificates/999999/verify',
    json: {}, expect: roles(OPS_WRITE, 404) },
  'POST /api/v1/review/certificates/:id/reject': { path: '/api/v1/review/certificates/999999/reject',
    json: {}, expect: roles(OPS_WRITE, 400) },
  'POST /api/v1/review/certificates/:id/suspend': { path: '/api/v1/review/certificates/999999/suspend',
    json: {}, expect: roles(OPS_WRITE, 400) },
  'POST /api/v1/review/certificates/:id/reinstate': { path: '/api/v1/review/certificates/999999/reinstate',
    json: {}, expect: roles(OPS_WRITE, 400) },
  'POST /api/v1/review/certificates/:id/revoke': { path: '/api/v1/review/certificates/999999/revoke',
    json: {}, expect: roles(OPS_WRITE, 400) },
  'GET /vendor/listings/:id/documents': { path: '/vendor/listings/1/documents', expect: (p) => (p === 'anonymous' ? 401 : ['vendor_admin', 'vendor_staff'].includes(p) ? 200 : p.startsWith('other_vendor') ? 404 : 403) },
  'GET /api/v1/vendor/listings/:id/documents': { path: '/api/v1/vendor/listings/1/documents', expect: (p) => (p === 'anonymous' ? 401 : ['vendor_admin', 'vendor_staff'].includes(p) ? 200 : p.startsWith('other_vendor') ? 404 : 403) },
  'POST /vendor/listings/:id/documents': { path: '/vendor/listings/1/documents', form: {},
    expect: roles(['vendor_admin', 'vendor_staff'], 400) },
  'POST /api/v1/vendor/listings/:id/documents': { path: '/api/v1/vendor/listings/1/documents', json: {},
    expect: roles(['vendor_admin', 'vendor_staff'], 400) },
  'POST /vendor/documents/:id/delete': { path: '/vendor/documents/999999/delete', form: {},
    expect: roles(['vendor_admin', 'vendor_staff'], 404) },
  'POST /api/v1/vendor/documents/:id/delete': { path: '/api/v1/vendor/documents/999999/delete', json: {},
    expect: roles(['vendor_admin', 'vendor_staff'], 404) },
  // Document 101 is listing 1's price sheet (published): public.
  'GET /documents/:id': { path: '/documents/101', expect: everyone(200) },

  // The public catalog.
  // EXPECT:PUBLIC
  // Public pages: everyone, signed in or not, sees the same. Vendor 1 is
  // approved; compare 1,2 are two published IaaS services.
  'GET /services/:id/print': { path: '/services/1/print', expect: everyone(200) },
  'GET /vendors': { expect: everyone(200) },
  'GET /api/v1/vendors': { expect: everyone(200) },
  'GET /vendors/:id': { path: '/vendors/1', expect: everyone(200) },
  'GET /api/v1/vendors/:id': { path: '/api/v1/vendors/1', expect: everyone(200) },
  'GET /compare': { path: '/compare?ids=1,2', expect: everyone(200) },
  'GET /api/v1/compare': { path: '/api/v1/compare?ids=1,2', expect: everyone(200) },
  // EXPECT:SEARCH
  'GET /shortlists/:id/export.xlsx': { path: '/shortlists/999999/export.xlsx',
    expect: roles(BUYERS_OPS, 404) },
  // EXPECT:USAGE
  // EXPECT:INVOICE
  // EXPECT:EVIDENCE
  // EXPECT:REPORTS
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
  const agency = ['/search', '/vendors', '/systems', '/shortlists', '/searches', '/eligibility', '/quotes',
    '/contracts', '/inbox'];
  const vendor = ['/search', '/vendors', '/vendor/listings', '/vendor/certificates', '/quotes', '/contracts',
    '/inbox'];
  const ops = (vendors) => ['/search', '/vendors', '/contracts', '/inbox', '/review', '/review/certificates',
    ...(vendors ? ['/admin/vendors'] : []), '/review/checklists', '/admin/transitions', '/admin/rules', '/audit'];
  const want = {
    buyer: agency,
    buyer_approver: [...agency, '/org/users', '/org/keys'],
    vendor_admin: [...vendor, '/org/users', '/org/keys'],
    vendor_staff: vendor,
    reviewer: ops(true),
    auditor: ops(false),
    platform_admin: (() => { const o = ops(true); o.splice(4, 0, '/org/users', '/org/keys'); return o; })(),
  };
  for (const [role, links] of Object.entries(want)) {
    const html = await (await clients[role].get('/home')).text();
    const got = [...html.matchAll(/<li><a href="([^"]+)" data-action=/g)].map((m) => m[1]);
    assert.deepEqual(got, links, role);
  }
});

