// Every HTML page of the route table, opened by the people who use it,
// must be a whole page: no template text ({{ or }}) leaking into it (a
// comment whose text holds "}}" ends early and prints the rest), no
// server error. Ids are the demo data's (1); query parameters the pages
// need are given below. Files (.csv, .pdf, .json downloads) are not pages;
// a route that answers a file anyway (the .xlsx export) is checked for
// its status only: compressed bytes hold "{{" by chance.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { signIn, USERS, Client } from './lib.mjs';

const QUERY = {
  '/shortlists/add': '?listing=1',
  '/eligibility/new': '?listing=1',
  '/quotes/new': '?listing=1',
  '/lang': null,
  '/audit.csv': null,
};

function pages() {
  const src = fs.readFileSync(new URL('../../app/routes.c', import.meta.url), 'utf8');
  const out = new Set();
  for (const m of src.matchAll(/\{\s*"([^"]+)",\s*M_GET,\s*\w+,\s*[^,]+,\s*0,/g)) {
    const p = m[1];
    if (p.startsWith('/static/') || p.endsWith('.csv') || p.endsWith('.pdf') || p.endsWith('.json') ||
      QUERY[p] === null)
      continue;
    out.add(p);
  }
  return [...out];
}

for (const who of ['anonymous', 'buyer', 'buyer_approver', 'vendor_admin', 'reviewer', 'auditor']) {
  test(`every page is whole for ${who}`, async () => {
    const c = who === 'anonymous' ? new Client() : await signIn(USERS[who]);
    const bad = [];
    for (const p of pages()) {
      const path = p.replace(':id', '1') + (QUERY[p] ?? '');
      const res = await c.get(path);
      const text = await res.text();
      if (res.status >= 500)
        bad.push(`${path}: ${res.status}`);
      else if (res.status === 200 && /^text\/html/.test(res.headers.get('content-type') ?? '') &&
        /\{\{|\}\}/.test(text))
        bad.push(`${path}: template text "${text.match(/.{0,30}(\{\{|\}\}).{0,30}/s)[0]}"`);
    }
    assert.deepEqual(bad, []);
  });
}
