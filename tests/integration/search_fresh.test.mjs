// Freshness: a listing change reaches search results and facets within two
// seconds through the outbox and the indexer; with the indexer down,
// search still answers and /healthz says the index is stale.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { BASE } from './lib.mjs';

const DB = process.env.GUREUM_DATABASE;
const STATE = process.env.STATE_DIR;

function sql(q) {
  return execFileSync('psql', [DB, '-X', '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', q],
    { encoding: 'utf8' }).trim();
}

async function search(q) {
  const res = await fetch(BASE + '/api/v1/search?per_page=100&q=' + encodeURIComponent(q));
  return res.json();
}

// Polls until check() holds, up to ms; returns the time it took.
async function within(ms, check) {
  const start = Date.now();
  for (;;) {
    if (await check())
      return Date.now() - start;
    if (Date.now() - start > ms)
      assert.fail(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const saasCount = async () => (await search('')).facets.type.find((f) => f.value === 'saas').count;

test('suspending and republishing a listing shows in search within 2 s', async () => {
  const before = await saasCount();
  assert.ok((await search('방화벽')).results.some((r) => r.id === 13));
  sql("UPDATE listings SET status = 'suspended' WHERE id = 13");
  const t1 = await within(2000, async () => !(await search('방화벽')).results.some((r) => r.id === 13));
  assert.equal(await saasCount(), before - 1);
  sql("UPDATE listings SET status = 'published' WHERE id = 13");
  const t2 = await within(2000, async () => (await search('방화벽')).results.some((r) => r.id === 13));
  assert.equal(await saasCount(), before);
  console.log(`# freshness: gone after ${t1} ms, back after ${t2} ms`);
});

test('a renamed listing is found by its new name', async () => {
  sql("UPDATE listings SET name_ko = '푸른 클라우드 웹방화벽 플러스' WHERE id = 13");
  await within(2000, async () => (await search('플러스')).results.some((r) => r.id === 13));
  sql("UPDATE listings SET name_ko = '푸른 클라우드 웹방화벽' WHERE id = 13");
  await within(2000, async () => !(await search('플러스')).results.some((r) => r.id === 13));
});

test('a suspended vendor takes its listings out of search', async () => {
  sql("UPDATE organisations SET status = 'suspended' WHERE id = 6");
  await within(2000, async () => (await search('vendor:푸른보안')).total === 0);
  sql("UPDATE organisations SET status = 'approved' WHERE id = 6");
  await within(2000, async () => (await search('vendor:푸른보안')).total === 2);
});

test('with the indexer down, search answers and /healthz says stale', async () => {
  const pidFile = `${STATE}/indexer.pid`;
  process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  // A change the indexer will not see, made to look a minute old.
  sql("UPDATE listings SET summary_en = summary_en WHERE id = 1");
  sql("UPDATE search_outbox SET created_at = now() - interval '1 minute'");
  let res = await fetch(BASE + '/healthz');
  let body = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.status, 'degraded');
  assert.equal(body.index.status, 'stale');
  assert.ok(body.index.pending_changes >= 1);
  assert.ok((await search('클라우드')).total > 0);

  // Back up: it catches up and health recovers.
  const job = spawn('build/gureumctl', ['indexer', process.env.GUREUM_INDEX],
    { detached: true, stdio: 'ignore' });
  job.unref();
  fs.writeFileSync(pidFile, String(job.pid));
  await within(3000, async () => (await (await fetch(BASE + '/healthz')).json()).status === 'ok');
});

// Filters, facets and card badges follow certificates and withdrawals
// within two seconds (SEARCH). Demo: certificate 9 is listing 11's CSAP
// 상, certificate 6 listing 8's CSAP 하; listing 9 has no certificate.
const api = async (qs) => (await fetch(`${BASE}/api/v1/search?per_page=100&${qs}`)).json();
const has = (body, id) => body.results.some((r) => r.id === id);
const card = (body, id) => body.results.find((r) => r.id === id);
const count = (body, facet, value) => body.facets[facet].find((v) => v.value === value)?.count ?? 0;

test('a certificate whose expiry date passed leaves "valid" filters, facets and badges within 2 s', async () => {
  const before = await api('csap=high&valid=1');
  assert.ok(has(before, 11));
  const highValid = count(await api('valid=1'), 'csap', 'high');
  // Past its date but not yet marked by the expiry job: no longer in force.
  sql("UPDATE certificates SET expiry_date = kst_today() - 1 WHERE id = 9");
  const t = await within(2000, async () => !has(await api('csap=high&valid=1'), 11));
  assert.equal(count(await api('valid=1'), 'csap', 'high'), highValid - 1);
  // Without "valid", a lapsed certificate still counts as granted, and the
  // card says it lapsed.
  const all = await api('csap=high');
  assert.ok(has(all, 11));
  assert.equal(card(all, 11).csap_valid, false);
  assert.equal(card(all, 11).cert_expired, true);
  // The expiry job marks it; nothing changes for search.
  execFileSync('build/gureumctl', ['expire-certificates'], { env: process.env });
  assert.equal(sql('SELECT status FROM certificates WHERE id = 9'), 'expired');
  sql("UPDATE certificates SET expiry_date = '2030-08-10', status = 'valid' WHERE id = 9");
  await within(2000, async () => has(await api('csap=high&valid=1'), 11));
  assert.equal(card(await api('csap=high'), 11).csap_valid, true);
  console.log(`# freshness: certificate expiry out of "valid" after ${t} ms`);
});

test('a revoked certificate leaves certificate filters within 2 s', async () => {
  assert.ok(has(await api('cert=csap'), 8));
  const csap = count(await api(''), 'cert', 'csap');
  sql("UPDATE certificates SET status = 'revoked' WHERE id = 6");
  await within(2000, async () => !has(await api('cert=csap'), 8));
  assert.equal(count(await api(''), 'cert', 'csap'), csap - 1);
  assert.equal(card(await api('q=' + encodeURIComponent('누리 그룹웨어')), 8).csap_valid, false);
  sql("UPDATE certificates SET status = 'valid' WHERE id = 6");
  await within(2000, async () => has(await api('cert=csap'), 8));
  assert.equal(card(await api('q=' + encodeURIComponent('누리 그룹웨어')), 8).csap_valid, true);
});

test('a withdrawn listing leaves results and every facet within 2 s', async () => {
  const trial = count(await api(''), 'trial', '1');
  assert.ok(has(await api('trial=1'), 9));
  sql("UPDATE listings SET status = 'withdrawn' WHERE id = 9");
  await within(2000, async () => !has(await api('trial=1'), 9));
  const after = await api('');
  assert.equal(after.total, 21);
  assert.equal(count(after, 'trial', '1'), trial - 1);
  assert.equal(count(after, 'category', 'saas.video'), 0);
  sql("UPDATE listings SET status = 'published' WHERE id = 9");
  await within(2000, async () => (await api('')).total === 22);
});

test('certificates lapsed by date are queued for the indexer when the Korean date changes', () => {
  // search_outbox_lapsed() is what the indexer calls at midnight (KST).
  sql("UPDATE certificates SET expiry_date = kst_today() - 1 WHERE id = 9");
  const n = Number(sql('SELECT search_outbox_lapsed(kst_today() - 1)'));
  assert.equal(n, 1);
  assert.equal(Number(sql('SELECT search_outbox_lapsed(kst_today())')), 0);
  sql("UPDATE certificates SET expiry_date = '2030-08-10', status = 'valid' WHERE id = 9");
});
