// docs/openapi.yaml against the running server: every documented GET is
// called with its examples, answers a documented status, and its JSON body
// has the documented required fields with the documented types. A route in
// the table under /api/ that the document lacks fails the test too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import yaml from 'js-yaml';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8899';
const spec = yaml.load(fs.readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8'));

function resolve(s) {
  while (s && s.$ref)
    s = s.$ref.split('/').slice(1).reduce((o, k) => o[k], spec);
  return s;
}

// A small checker for the subset of JSON Schema the document uses.
function check(value, schema, path) {
  schema = resolve(schema);
  if (!schema)
    return;
  if (value === null) {
    assert.ok(schema.nullable, `${path} is null`);
    return;
  }
  const t = schema.type;
  if (t === 'object') {
    assert.equal(typeof value, 'object', path);
    for (const k of schema.required ?? [])
      assert.ok(k in value, `${path}.${k} missing`);
    for (const [k, s] of Object.entries(schema.properties ?? {}))
      if (k in value)
        check(value[k], s, `${path}.${k}`);
  } else if (t === 'array') {
    assert.ok(Array.isArray(value), path);
    value.forEach((v, i) => check(v, schema.items, `${path}[${i}]`));
  } else if (t === 'integer') {
    assert.ok(Number.isInteger(value), `${path} not an integer`);
  } else if (t === 'string') {
    assert.equal(typeof value, 'string', path);
    if (schema.enum)
      assert.ok(schema.enum.includes(value), `${path}=${value}`);
  } else if (t === 'boolean') {
    assert.equal(typeof value, 'boolean', path);
  }
}

for (const [path, item] of Object.entries(spec.paths)) {
  const op = item.get;
  if (!op)
    continue;
  test(`GET ${path} matches docs/openapi.yaml`, async () => {
    let url = path;
    const qs = new URLSearchParams();
    for (const p of op.parameters ?? []) {
      if (p.in === 'path')
        url = url.replace(`{${p.name}}`, encodeURIComponent(p.example));
      else if (p.example !== undefined)
        qs.set(p.name, p.example);
    }
    const res = await fetch(BASE + url + (qs.size ? '?' + qs : ''),
      { headers: { accept: 'application/json' } });
    assert.ok(String(res.status) in op.responses, `status ${res.status} undocumented`);
    const doc = resolve(op.responses[String(res.status)]);
    check(await res.json(), doc.content['application/json'].schema, 'body');
    assert.ok(res.headers.get('x-request-id'));
  });
}

test('every /api/ route of the route table is documented', () => {
  const routes = fs.readFileSync(new URL('../../app/routes.c', import.meta.url), 'utf8');
  const apiPaths = [...routes.matchAll(/\{\s*"(\/api\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(apiPaths.length > 0);
  for (const p of apiPaths) {
    const documented = p.replace(':id', '{id}');
    assert.ok(documented in spec.paths, `${p} is not in docs/openapi.yaml`);
  }
});
