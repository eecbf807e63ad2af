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
