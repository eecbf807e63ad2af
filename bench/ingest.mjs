// The ingestion benchmark's client (bench/ingest.sh runs it): signed
// batches of 1,000 new records over HTTP from several concurrent clients,
// then a raw COPY of as many rows, of the same shape, into the same table,
// in the same run. Prints one RESULT line per side and the ratio.
//
//   node bench/ingest.mjs CLIENTS SECONDS
//
// Bodies are made and signed before the clock starts, so the figure is the
// server's (HTTP, JSON, Ed25519 verification, per-record checks and
// hashing, the two statements with deduplication by record_id, the
// receipt), not the client's.

import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { activeContract, sql, withdrawTestListings } from '../tests/integration/metering-lib.mjs';
import { signingKey, usageApiKey, sign } from '../tests/integration/usage-lib.mjs';

const CLIENTS = Number(process.argv[2] ?? 4);
const SECONDS = Number(process.argv[3] ?? 10);
const BASE = process.env.BASE_URL;
const RUN = `bench${Date.now().toString(36)}`;
const PER = 1000;
const POOL = Number(process.env.POOL ?? 800);	// pre-made batches

const contracts = [];
for (let i = 0; i < CLIENTS; i++)
  contracts.push((await activeContract(RUN, `c${i}`, { start: '2026-10-01' })).id);
const key = await signingKey(`${RUN}`);
const apiKey = await usageApiKey();
const t0 = Date.now() - 3600e3;
const bodies = [];
for (let b = 0; b < POOL; b++) {
  const c = contracts[b % CLIENTS];
  const records = [];
  for (let i = 0; i < PER; i++)
    records.push({ record_id: `${RUN}-${b}-${i}`, contract_id: c, dimension: i % 2 ? 'vcpu_hour' : 'storage_gb_month',
      quantity: `${(i % 97) + 1}.5`, time: new Date(t0 + i * 1000).toISOString() });
  const text = JSON.stringify({ records });
  bodies.push({ c, text, sig: sign(key, text) });
}
const queues = contracts.map((c) => bodies.filter((b) => b.c === c));

// Rounds alternate HTTP and COPY, so that both sides see the same
// machine (it is shared and its load drifts within a minute).
const ROUNDS = Number(process.env.ROUNDS ?? 6);
let batch = null;	// a stored batch for the copied rows' batch_id
let httpRows = 0, httpSecs = 0, copyRows = 0, copySecs = 0, batches = 0, errors = 0, copied = 0;

async function httpRound(secs) {
  let accepted = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + secs * 1000;
  await Promise.all(queues.map(async (q) => {
    while (Date.now() < deadline && q.length > 0) {
      const b = q.shift();
      const res = await fetch(BASE + '/api/v1/usage', { method: 'POST', body: b.text, headers: {
        'content-type': 'application/json', authorization: `Bearer ${apiKey}`,
        'gureum-key-id': key.keyId, 'gureum-signature': b.sig } });
      const body = await res.json();
      if (res.status !== 200) {
        errors++;
        continue;
      }
      accepted += body.accepted;
      batches++;
    }
  }));
  httpRows += accepted;
  httpSecs += Number(process.hrtime.bigint() - start) / 1e9;
  return accepted;
}

// The same number of rows, the same shape, straight into usage_records.
async function copyRound(n) {
  batch ??= sql('SELECT max(id) FROM usage_batches');
  const rows = [];
  for (let k = 0; k < n; k++) {
    const i = copied++;
    const h = crypto.createHash('sha256').update(String(i)).digest('hex');
    const at = new Date(t0 + (i % PER) * 1000).toISOString();
    rows.push(`1\t${RUN}-copy-${i}\t${contracts[i % CLIENTS]}\t${i % 2 ? 'vcpu_hour' : 'storage_gb_month'}\t` +
      `${((i % 97) + 1) * 1000000 + 500000}\t${at}\t${at.slice(0, 8)}01\t\t\t\\\\x${h}\t${batch}\t${at}\n`);
  }
  const data = rows.join('');
  const start = process.hrtime.bigint();
  await new Promise((resolve, reject) => {
    const p = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', process.env.GUREUM_DATABASE, '-c',
      'COPY usage_records (vendor_id, record_id, contract_id, dimension, quantity_micro, usage_at, month,' +
      ' allocation, subject, payload_hash, batch_id, received_at) FROM STDIN'], { stdio: ['pipe', 'inherit', 'inherit'] });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql ${code}`))));
    p.stdin.end(data);
  });
  copyRows += n;
  copySecs += Number(process.hrtime.bigint() - start) / 1e9;
}

for (let r = 0; r < ROUNDS; r++)
  await copyRound(await httpRound(SECONDS / ROUNDS));
const httpRate = httpRows / httpSecs;
const copyRate = copyRows / copySecs;
console.log(`RESULT http clients=${CLIENTS} batches=${batches} rows=${httpRows} seconds=${httpSecs.toFixed(2)}` +
  ` rows_per_s=${Math.round(httpRate)} errors=${errors}`);
console.log(`RESULT copy rows=${copyRows} seconds=${copySecs.toFixed(2)} rows_per_s=${Math.round(copyRate)}`);
console.log(`RESULT ratio http/copy=${(httpRate / copyRate).toFixed(2)} rounds=${ROUNDS}`);
withdrawTestListings(RUN);
