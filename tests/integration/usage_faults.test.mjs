// Faults during sustained ingestion (docs/metering.md, "Reliability"):
// while two clients keep sending signed batches, a Kore worker is killed
// with SIGKILL and PostgreSQL is restarted. Each client keeps a ledger of
// the records the server acknowledged; a batch that got no answer (a
// dropped connection, a 503) is sent again with the same bytes until it
// is answered, which is what the idempotency by record_id is for.
// Afterwards the stored records match the ledger to the unit: none lost,
// none twice.
//
// This needs its own server and database: the test server runs with
// worker_death_policy terminate (a dead worker must fail that run), and
// restarting the shared cluster would cut the other jobs' connections.
// So it makes a private cluster under $STATE_DIR/faults, migrates and
// seeds it, and starts a second Kore on a free port with the policy
// restart, all stopped again at the end. Bounded: about 40 s.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const STATE = path.join(process.env.STATE_DIR ?? path.join(ROOT, 'var/test'), 'faults');
const PG = path.join(STATE, 'pg');
let PORT;
const DBNAME = 'gureum_faults';
const PGBIN = '/usr/lib/postgresql/15/bin';
let kore;
let lib;

function sh(cmd, args, env = {}) {
  return execFileSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
}

async function waitHealthy(ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).status === 200)
        return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the fault server did not start: ' + fs.readFileSync(path.join(STATE, 'kore.log'), 'utf8').slice(-2000));
}

const asPg = (args) => (process.getuid() === 0 ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0], args.slice(1)]);

// A port nobody listens on now (the machine is shared).
function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = srv.address().port;
      srv.close(() => resolve(p));
    });
  });
}

before(async () => {
  assert.ok(process.env.GUREUM_SIGNING_KEY, 'GUREUM_SIGNING_KEY is set (conf/env.sh does it)');
  PORT = await freePort();
  fs.mkdirSync(STATE, { recursive: true });
  sh('sh', ['conf/pg.sh', 'start', PG, DBNAME]);
  sh('sh', ['conf/pg.sh', 'recreate', PG, DBNAME]);
  const owner = `host=${PG} user=gureum dbname=${DBNAME}`;
  sh('build/gureumctl', ['migrate', 'sql'], { GUREUM_DATABASE: owner });
  sh('build/gureumctl', ['seed', 'sql/demo'], { GUREUM_DATABASE: owner });
  sh('build/gureumctl', ['keygen', process.env.GUREUM_SIGNING_KEY], { GUREUM_DATABASE: owner });
  const conf = fs.readFileSync(path.join(ROOT, 'conf/gureum.conf.in'), 'utf8')
    .replaceAll('@PORT@', String(PORT)).replaceAll('@ROOT@', ROOT.replace(/\/$/, ''))
    .replaceAll('@VAR@', STATE).replaceAll('@DEATH_POLICY@', 'restart').replaceAll('@WORKERS@', '2')
    .replaceAll('@PGCONNS@', '4').replaceAll('@ACCESSLOG@', '').replaceAll('@TASKS@', '1');
  fs.writeFileSync(path.join(STATE, 'kore.conf'), conf);
  // O_APPEND: the parent and the workers write to one file.
  fs.writeFileSync(path.join(STATE, 'kore.log'), '');
  const log = fs.openSync(path.join(STATE, 'kore.log'), 'a');
  // stdbuf: line-buffered logs, or the parent's lines sit in its buffer.
  kore = spawn('stdbuf', ['-oL', '-eL', 'kore', '-f', '-n', '-r', '-c', path.join(STATE, 'kore.conf')],
    { cwd: ROOT, detached: true,
    stdio: ['ignore', log, log], env: { ...process.env, GUREUM_DATABASE: owner,
      GUREUM_APP_DATABASE: `host=${PG} user=gureum_app dbname=${DBNAME}` } });
  await waitHealthy(20000);
  process.env.BASE_URL = `http://127.0.0.1:${PORT}`;
  process.env.GUREUM_DATABASE = owner;
  lib = {
    ...(await import('./metering-lib.mjs')),
    ...(await import('./usage-lib.mjs')),
  };
});

after(() => {
  if (kore) {
    try { process.kill(-kore.pid, 'SIGTERM'); } catch { /* gone */ }
  }
  try { sh('sh', ['conf/pg.sh', 'stop', PG]); } catch { /* stopped */ }
});

function workers() {
  const parent = Number(fs.readFileSync(path.join(STATE, 'kore.pid'), 'utf8'));
  return sh('ps', ['-o', 'pid=,args=', '--ppid', String(parent)]).split('\n')
    .filter((l) => /wrk/.test(l)).map((l) => Number(l.trim().split(/\s+/)[0]));
}

test('a killed worker and a restarted database lose no acknowledged record and count none twice', async () => {
  const { activeContract, signingKey, post, rec } = lib;
  const C = await activeContract(`f${Date.now().toString(36)}`, 'f', { start: '2026-10-01' });
  const key = await signingKey('faults');
  const ledger = new Map();
  let sent = 0;
  let retries = 0;
  let stop = false;
  const RUN = Date.now().toString(36);

  async function client(n) {
    for (let b = 0; !stop; b++) {
      const records = Array.from({ length: 100 }, (_, i) => rec(`${RUN}-${n}-${b}-${i}`, C.id, 'vcpu_hour',
        `${1 + ((b * 7 + i) % 5)}.25`, new Date(Date.now() - 3600e3)));
      const body = JSON.stringify({ records });
      sent += records.length;
      let last = '';
      for (let attempt = 0; ; attempt++) {
        assert.ok(attempt < 200, `a batch was never answered: ${last}`);
        let r;
        try {
          r = await post(key, body);
        } catch {
          r = null;	// the connection dropped: no answer
          last = 'no answer';
        }
        if (r && r.status === 200) {
          for (const x of r.body.results) {
            assert.ok(x.status === 'accepted' || x.status === 'duplicate', JSON.stringify(x));
            assert.ok(!ledger.has(x.record_id) || x.status === 'duplicate', 'accepted twice');
            ledger.set(x.record_id, records[x.index].quantity);
          }
          break;
        }
        if (r) last = `${r.status} ${r.text.slice(0, 200)}`;
        assert.ok(r === null || r.status === 503 || r.status === 500, `unexpected ${r?.status} ${r?.text}`);
        retries++;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  }

  const loops = [client(1), client(2)];
  await new Promise((r) => setTimeout(r, 2500));
  const w = workers();
  assert.ok(w.length >= 1, 'found the workers');
  process.kill(w[0], 'SIGKILL');
  await new Promise((r) => setTimeout(r, 2500));
  const [cmd, args] = asPg([`${PGBIN}/pg_ctl`, '-D', path.join(fs.realpathSync(PG), 'data'), '-m', 'fast', '-w', 'restart']);
  execFileSync(cmd, args, { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 3000));
  stop = true;
  await Promise.all(loops);

  // The worker was replaced, the database came back.
  assert.ok(!workers().includes(w[0]));
  assert.match(fs.readFileSync(path.join(STATE, 'kore.log'), 'utf8'), /worker.*(died|exited|terminated|restart)/i);
  const q = (s) => lib.sql(s);
  const stored = q(`SELECT count(*) || ' ' || coalesce(sum(quantity_micro), 0) FROM usage_records WHERE contract_id = ${C.id}`);
  let micro = 0n;
  for (const v of ledger.values())
    micro += BigInt(Math.round(Number(v) * 1e6));
  assert.equal(ledger.size, sent, 'every record was acknowledged in the end');
  assert.equal(stored, `${ledger.size} ${micro}`);
  assert.equal(q(`SELECT count(*) FROM (SELECT record_id FROM usage_records WHERE contract_id = ${C.id}
    GROUP BY record_id HAVING count(*) > 1) d`), '0');
  // The chain has one link per stored batch with accepted records, no gap.
  assert.equal(q(`SELECT max(seq) = count(*) AND count(*) = (SELECT count(*) FROM usage_batches
    WHERE accepted > 0 AND id IN (SELECT batch_id FROM usage_records WHERE contract_id = ${C.id}))
    FROM usage_chain WHERE contract_id = ${C.id}`), 't');
  console.log(`# faults: ${ledger.size} records acknowledged, ${retries} retried sends, totals match`);
});
