// The shortlist as a spreadsheet (SEARCH): GET /shortlists/:id/export.xlsx
// has the CSV's columns and rows, numbers as numbers, text (a formula a
// buyer typed included) as text, and the same access rules. The workbook
// is read back with unzip, as a spreadsheet program would open it.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, USERS, apiToken } from './lib.mjs';

const RUN = Date.now().toString(36);
const tokens = {};

async function call(who, method, p, body, headers = {}) {
  const h = { accept: 'application/json', ...headers };
  if (tokens[who])
    h.authorization = `Bearer ${tokens[who]}`;
  if (body !== undefined)
    h['content-type'] = 'application/json';
  const res = await fetch(BASE + p, { method, headers: h, redirect: 'manual',
    body: body !== undefined ? JSON.stringify(body) : undefined });
  return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
  for (const who of ['buyer', 'other_buyer', 'vendor_admin', 'auditor'])
    tokens[who] = await apiToken(USERS[who]);
});

function part(buf, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-'));
  const file = path.join(dir, 'x.xlsx');
  fs.writeFileSync(file, buf);
  try {
    return execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
}

test('the XLSX export holds the CSV columns and rows', async () => {
  const list = JSON.parse((await call('buyer', 'POST', '/api/v1/shortlists',
    { project_name: `엑셀 ${RUN}` })).buf.toString());
  const id = list.id;
  const it = JSON.parse((await call('buyer', 'POST', `/api/v1/shortlists/${id}/items`,
    { listing: 1, search: 'q=클라우드&type=iaas' })).buf.toString()).item_id;
  await call('buyer', 'POST', `/shortlist-items/${it}`, { decision: 'kept', note: '=HYPERLINK("http://x") <b>최저가</b>' });
  const r = await call('buyer', 'GET', `/shortlists/${id}/export.xlsx`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition'), new RegExp(`gureum-shortlist-${id}\\.xlsx`));
  assert.equal(r.buf.subarray(0, 2).toString(), 'PK');
  const strings = part(r.buf, 'xl/sharedStrings.xml');
  const sheet = part(r.buf, 'xl/worksheets/sheet1.xml');
  for (const s of ['사업명', '서비스명', `엑셀 ${RUN}`, '한빛 클라우드 서버', '행정안전부', 'q=클라우드&amp;type=iaas', '유지'])
    assert.ok(strings.includes(s), s);
  // The note is text, escaped, never a formula.
  assert.ok(strings.includes('=HYPERLINK(&quot;http://x&quot;) &lt;b&gt;최저가&lt;/b&gt;') ||
    strings.includes('=HYPERLINK("http://x") &lt;b&gt;최저가&lt;/b&gt;'), strings);
  assert.ok(!sheet.includes('<f>'));
  // The listing id is a number cell; two rows (header, one service).
  assert.match(sheet, /<c r="C2"[^>]*><v>1<\/v><\/c>/);
  assert.equal((sheet.match(/<row /g) || []).length, 2);
  // English headers.
  const en = await call('buyer', 'GET', `/shortlists/${id}/export.xlsx`, undefined, { 'accept-language': 'en' });
  assert.ok(part(en.buf, 'xl/sharedStrings.xml').includes('Project'));
  // The office reads it; another agency gets 404, a vendor 403.
  assert.equal((await call('auditor', 'GET', `/shortlists/${id}/export.xlsx`)).status, 200);
  assert.equal((await call('other_buyer', 'GET', `/shortlists/${id}/export.xlsx`)).status, 404);
  assert.equal((await call('vendor_admin', 'GET', `/shortlists/${id}/export.xlsx`)).status, 403);
  // No temporary file is left behind.
  const tmp = process.env.TMPDIR || '/tmp';
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.startsWith('gureum-xlsx-')), []);
});
