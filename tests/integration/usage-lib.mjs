// A vendor's usage client, as docs/metering.md tells a vendor to write
// one: an Ed25519 key pair from node:crypto, its public key registered
// through the API, an API key with the usage:write scope, and batches
// signed over their exact bytes. BLAKE2b-256 (not in node:crypto) comes
// from coreutils' b2sum -l 256, as in the documented worked example.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { BASE, USERS, signIn } from './lib.mjs';
import { call } from './metering-lib.mjs';

// A new Ed25519 key pair; pub is the standard base64 of the raw 32 bytes.
export function keyPair() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(12);
  return { publicKey, privateKey, pub: raw.toString('base64') };
}

// Registers a new signing key for the vendor role `who` (default vendor A's
// admin); returns { ...keyPair, keyId, id }.
export async function signingKey(name = 'test', who = 'vendor_admin') {
  const kp = keyPair();
  const r = await call(who, 'POST', '/api/v1/usage/keys', { name, public_key: kp.pub });
  assert.equal(r.status, 201, r.text);
  assert.match(r.body.key_id, /^usk_[0-9a-f]{16}$/);
  return { ...kp, keyId: r.body.key_id, id: r.body.id };
}

const apiKeys = {};

// An API key of the vendor with scope usage:write (made once per role).
export async function usageApiKey(who = 'vendor_admin') {
  if (!apiKeys[who]) {
    const c = await signIn(USERS[who]);
    const made = await c.postJSON('/org/keys', { name: `usage-test-${Date.now()}`, scope: 'usage:write' });
    assert.equal(made.res.status, 201, JSON.stringify(made.body));
    apiKeys[who] = made.body.key;
  }
  return apiKeys[who];
}

export function sign(key, bytes) {
  return crypto.sign(null, Buffer.from(bytes), key.privateKey).toString('base64');
}

// Posts a body (object → JSON text, or exact text/bytes) to path, signed by
// key unless opts says otherwise. Returns { status, body, text }.
export async function post(key, body, opts = {}) {
  const text = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const headers = { 'content-type': 'application/json', accept: 'application/json',
    authorization: `Bearer ${opts.apiKey ?? await usageApiKey()}`, ...(opts.headers ?? {}) };
  if (key && !opts.unsigned) {
    headers['gureum-key-id'] = opts.keyId ?? key.keyId;
    headers['gureum-signature'] = opts.signature ?? sign(key, opts.signOver ?? text);
  }
  const res = await fetch(BASE + (opts.path ?? '/api/v1/usage'), { method: 'POST', headers, body: text });
  const t = await res.text();
  let json = null;
  try { json = t ? JSON.parse(t) : null; } catch { json = t; }
  return { status: res.status, body: json, text: t };
}

// BLAKE2b-256 of bytes, lowercase hex.
export function b2(bytes) {
  return execFileSync('b2sum', ['-l', '256'], { input: Buffer.from(bytes) }).toString().split(' ')[0];
}

// The next chain head: BLAKE2b-256(prev || batch hash), prev null = 32 zero bytes.
export function chainNext(prevHex, batchHex) {
  const prev = prevHex ? Buffer.from(prevHex, 'hex') : Buffer.alloc(32);
  return b2(Buffer.concat([prev, Buffer.from(batchHex, 'hex')]));
}

// Checks a receipt's marketplace signature and that its text says what
// its fields say.
export async function verifyReceipt(receipt) {
  const keys = await (await fetch(BASE + '/api/v1/marketplace-keys')).json();
  const mk = keys.keys.find((k) => k.public_key === receipt.marketplace_key);
  assert.ok(mk, 'the receipt names a registered marketplace key');
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'),
    Buffer.from(mk.public_key, 'base64')]);
  const pub = crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' });
  assert.ok(crypto.verify(null, Buffer.from(receipt.message), pub, Buffer.from(receipt.signature, 'base64')),
    'the marketplace signature verifies');
  const lines = [
    'gureum-receipt-v1', `batch ${receipt.batch_id}`, `vendor ${receipt.vendor_id}`, `source ${receipt.source}`,
    `body_hash ${receipt.body_hash}`, `server_time ${receipt.server_time}`, `records ${receipt.records}`,
    `accepted ${receipt.accepted}`, ...receipt.heads.map((h) => `head ${h.contract_id} ${h.seq} ${h.head}`),
    `marketplace_key ${receipt.marketplace_key}`];
  assert.equal(receipt.message, lines.join('\n') + '\n');
}

// A usage record for contract c at time t (Date or ISO text).
export function rec(id, contract, dimension, quantity, t, extra = {}) {
  return { record_id: id, contract_id: contract, dimension, quantity,
    time: typeof t === 'string' ? t : t.toISOString(), ...extra };
}
