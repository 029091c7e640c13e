// The OpenAPI document (GET /openapi.json), Swagger UI (/docs, /api-docs) and the lead manager
// page (/app/) as HTTP resources: the document is valid OpenAPI 3.1, lists exactly the routes
// the server serves (checked through 405 Allow headers), documents every status it answers
// with bodies that match its schemas, and carries the reference's examples; the pages come
// with their security headers, no inline script or style, and every asset they name.
//
// Needs the npm packages of package.json (scripts/setup.sh installs them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { setupTarget } from './lib/target.mjs';
import { api, describeRes, newCustomer, uniquePhone, idPath } from './lib/client.mjs';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

const TO = { timeout: 30_000 };
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const APP_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const DOCS_CSP = APP_CSP.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';");
const REFERENCE_CREATE = { fullName: 'Nguyen Anh Tuan', phone: '0912345678', age: 30, productCode: 'household_tool' };
const REFERENCE_UPDATE = { fullName: 'Trần Văn Anh', phone: '0987654321', age: 28, productCode: 'book' };

let T;
let doc;
let ajv;

before(async () => {
  T = await setupTarget();
  const res = await api(T, 'GET', '/openapi.json', { role: 'none' });
  assert.equal(res.status, 200, describeRes(res));
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/i);
  doc = res.json;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('password', true);
  ajv.addSchema(doc, 'openapi.json');
}, { timeout: 60_000 });
after(async () => { await T?.close(); });

// ---- helpers --------------------------------------------------------------------------------------

/** Follows a local $ref ("#/components/...") to the object it names. */
function deref(obj) {
  let seen = 0;
  while (obj && typeof obj.$ref === 'string') {
    assert.ok(seen++ < 10, 'a $ref cycle');
    assert.ok(obj.$ref.startsWith('#/'), `non-local $ref ${obj.$ref}`);
    obj = obj.$ref.slice(2).split('/')
      .reduce((o, key) => o?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    assert.ok(obj, 'dangling $ref');
  }
  return obj;
}

/** Validates `value` against a schema of the document (a schema object or a $ref). */
function assertMatchesSchema(schema, value, ctx) {
  // Local $refs ("#/components/...") resolve inside the document, which Ajv knows as openapi.json.
  const standalone = JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"openapi.json#/'));
  const validate = ajv.compile(standalone);
  assert.ok(validate(value), `${ctx}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`);
}

/** Every operation: {path, method, op}. */
function operations() {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })));
}

/** Asserts the answer `res` to METHOD `path` (a template of the document) is documented. */
function assertDocumented(method, path, res) {
  const op = doc.paths[path]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${path} is not in the document`);
  const documented = op.responses[String(res.status)];
  assert.ok(documented, `${method} ${path} answered ${res.status}, which the document does not list: ${describeRes(res)}`);
  const response = deref(documented);
  for (const name of Object.keys(response.headers ?? {})) {
    if (name.toLowerCase() === 'cache-control') continue;  // informational
    // A header the document marks `required: false` comes only with some answers.
    if (deref(response.headers[name]).required === false) continue;
    assert.ok(res.headers.get(name) !== null, `${method} ${path} ${res.status} lacks the documented header ${name}`);
  }
  const media = response.content?.['application/json'];
  if (media?.schema) {
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/i, describeRes(res));
    assertMatchesSchema(media.schema, res.json, `${method} ${path} ${res.status}`);
  }
}

// ---- the document -----------------------------------------------------------------------------------

test('the document is valid OpenAPI 3.1', TO, async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2)?.slice(0, 4000));
  assert.equal(validator.version, '3.1');
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  assert.deepEqual(doc.servers.map((s) => s.url), ['/'], 'servers are relative to wherever the document is served');
});

test('the document lists the contract routes', TO, () => {
  const listed = new Set(operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`));
  for (const route of [
    'GET /', 'GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /openapi.json', 'GET /docs', 'GET /api-docs',
    'GET /app/', 'GET /app', 'POST /auth/sign-in', 'POST /auth/refresh-tokens', 'POST /auth/sign-out',
    'GET /.well-known/jwks.json', 'POST /pcustomers', 'POST /pcustomer', 'GET /pcustomers', 'GET /pcustomers/{id}',
    'PATCH /pcustomers/{id}', 'DELETE /pcustomers/{id}',
  ]) {
    assert.ok(listed.has(route), `${route} is not documented`);
  }
  const ids = operations().map(({ op }) => op.operationId);
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
});

test('customer and trash routes need the bearerAuth scheme; the others say they are public (security: [])', TO, () => {
  const scheme = doc.components.securitySchemes.bearerAuth;
  assert.equal(scheme.type, 'http');
  assert.equal(scheme.scheme, 'bearer');
  assert.equal(doc.security, undefined, 'no global security: most routes are public');
  for (const { path, method, op } of operations()) {
    const protectedRoute = path === '/pcustomer' || path.startsWith('/pcustomers') || path.startsWith('/trash');
    if (protectedRoute) {
      assert.deepEqual(op.security, [{ bearerAuth: [] }], `${method} ${path}`);
      for (const status of ['401', '403']) assert.ok(op.responses[status], `${method} ${path} documents ${status}`);
    } else {
      assert.deepEqual(op.security, [], `${method} ${path} is public`);
    }
  }
});

test('every error response uses the error envelope; every example matches its schema', TO, () => {
  let examples = 0;
  for (const { path, method, op } of operations()) {
    for (const [status, documented] of Object.entries(op.responses)) {
      const response = deref(documented);
      assert.ok(response.description, `${method} ${path} ${status} has a description`);
      if (Number(status) >= 400) {
        assert.deepEqual(response.content?.['application/json']?.schema, { $ref: '#/components/schemas/Error' },
          `${method} ${path} ${status}`);
      }
    }
    const bodies = [op.requestBody && deref(op.requestBody), ...Object.values(op.responses).map(deref)];
    for (const body of bodies.filter(Boolean)) {
      for (const [type, media] of Object.entries(body.content ?? {})) {
        if (!type.includes('json') || !media.schema) continue;
        const values = [...(media.example !== undefined ? [media.example] : []),
          ...Object.values(media.examples ?? {}).map((e) => deref(e).value)];
        for (const value of values) {
          assertMatchesSchema(media.schema, value, `example of ${method} ${path} (${type})`);
          examples++;
        }
      }
    }
  }
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    for (const value of schema.examples ?? []) {
      assertMatchesSchema({ $ref: `#/components/schemas/${name}` }, value, `example of schema ${name}`);
      examples++;
    }
  }
  assert.ok(examples >= 20, `only ${examples} examples`);
});

test('the reference application\'s example bodies are there', TO, () => {
  const createExamples = (path) => Object.values(doc.paths[path].post.requestBody.content['application/json'].examples)
    .map((e) => e.value);
  assert.deepEqual(createExamples('/pcustomers')[0], REFERENCE_CREATE);
  assert.deepEqual(createExamples('/pcustomer')[0], REFERENCE_CREATE);
  const update = Object.values(doc.paths['/pcustomers/{id}'].patch.requestBody.content['application/json'].examples)
    .map((e) => e.value);
  assert.deepEqual(update[0], REFERENCE_UPDATE);
});

// ---- the document against the server ------------------------------------------------------------------

test('the server serves exactly the documented methods on every documented path', TO, async () => {
  assert.ok(operations().every(({ method }) => method !== 'put'), 'PUT is the probe: no route may use it');
  for (const [path, item] of Object.entries(doc.paths)) {
    const concrete = path.replace('{id}', encodeURIComponent('CUSTOMER#1')).replace('{file}', 'app.js');
    const res = await api(T, 'PUT', concrete, { role: 'none' });
    assert.equal(res.status, 405, `PUT ${concrete}: ${describeRes(res)}`);
    const allow = new Set((res.headers.get('allow') ?? '').split(',').map((m) => m.trim().toLowerCase()).filter(Boolean));
    assert.deepEqual(allow, new Set(METHODS.filter((m) => item[m])), `methods of ${path}`);
  }
  // Paths next to the documented ones are not served.
  for (const path of ['/docs/', '/api-docs/', '/app/assets/', '/app/index.html', '/openapi.yaml', '/swagger']) {
    const res = await api(T, 'GET', path, { role: 'none' });
    assert.equal(res.status, 404, `GET ${path}: ${describeRes(res)}`);
  }
});

test('live answers of the customer and auth routes are documented and match the schemas', TO, async () => {
  const check = async (method, template, concrete, opts = {}) => {
    const res = await api(T, method, concrete, opts);
    assertDocumented(method, template, res);
    return res;
  };
  for (const path of ['/', '/healthz', '/readyz']) await check('GET', path, path, { role: 'none' });

  const body = newCustomer();
  const created = await check('POST', '/pcustomers', '/pcustomers', { body });
  assert.equal(created.status, 201, describeRes(created));
  const id = created.json.data.id;
  const again = await check('POST', '/pcustomers', '/pcustomers', { body });
  assert.equal(again.status, 409, describeRes(again));
  const singular = await check('POST', '/pcustomer', '/pcustomer', { body: newCustomer() });
  assert.equal(singular.status, 201, describeRes(singular));
  const invalid = await check('POST', '/pcustomers', '/pcustomers', { body: { ...body, phone: '12345', extra: 1 } });
  assert.equal(invalid.status, 400, describeRes(invalid));
  const wrongType = await check('POST', '/pcustomers', '/pcustomers', { rawBody: '{}', contentType: 'text/plain' });
  assert.equal(wrongType.status, 415, describeRes(wrongType));

  assert.equal((await check('GET', '/pcustomers', '/pcustomers?limit=1')).status, 200);
  assert.equal((await check('GET', '/pcustomers', '/pcustomers?limit=0')).status, 400);
  assert.equal((await check('GET', '/pcustomers', '/pcustomers', { role: 'none' })).status, 401);
  assert.equal((await check('GET', '/pcustomers/{id}', idPath(id))).status, 200);
  const patched = await check('PATCH', '/pcustomers/{id}', idPath(id), { body: { ...REFERENCE_UPDATE, phone: uniquePhone() } });
  assert.equal(patched.status, 200, describeRes(patched));
  assert.equal((await check('PATCH', '/pcustomers/{id}', idPath(id), { body: {} })).status, 400);
  assert.equal((await check('DELETE', '/pcustomers/{id}', idPath(id))).status, 200);
  assert.equal((await check('GET', '/pcustomers/{id}', idPath(id))).status, 404);
  assert.equal((await check('DELETE', '/pcustomers/{id}', idPath(id))).status, 404);

  const badSignIn = await check('POST', '/auth/sign-in', '/auth/sign-in', { role: 'none', body: { username: 'x' } });
  assert.equal(badSignIn.status, 400, describeRes(badSignIn));
  const badRefresh = await check('POST', '/auth/refresh-tokens', '/auth/refresh-tokens',
    { role: 'none', body: { refreshToken: 'not-a-refresh-token' } });
  assert.equal(badRefresh.status, 401, describeRes(badRefresh));
  const signOut = await check('POST', '/auth/sign-out', '/auth/sign-out', { role: 'none', body: { refreshToken: 'gone' } });
  assert.equal(signOut.status, 200, describeRes(signOut));
  await check('GET', '/.well-known/jwks.json', '/.well-known/jwks.json', { role: 'none' });
});

// ---- the pages ----------------------------------------------------------------------------------------

/** The /docs/assets/... and /app/assets/... URLs an HTML page names. */
function assetUrls(html) {
  return [...html.matchAll(/(?:src|href)="(\/(?:docs|app)\/assets\/[^"]+)"/g)].map((m) => m[1]);
}

test('Swagger UI and the lead manager page: security headers, no inline code, every asset served', TO, async () => {
  for (const [path, csp] of [['/docs', DOCS_CSP], ['/api-docs', DOCS_CSP], ['/app/', APP_CSP]]) {
    const res = await api(T, 'GET', path, { role: 'none' });
    assert.equal(res.status, 200, `${path}: ${describeRes(res)}`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8$/i, path);
    assert.equal(res.headers.get('content-security-policy'), csp, path);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(res.headers.get('cache-control'), 'no-cache', path);
    assert.doesNotMatch(res.text, /<script(?![^>]*\ssrc=)[^>]*>/i, `${path} has an inline script`);
    assert.doesNotMatch(res.text, /\sstyle=|<style|\son[a-z]+=/i, `${path} has inline styles or handlers`);
    assert.doesNotMatch(res.text, /@ASSET_VERSION@/, `${path}: the asset version was not filled in`);
    const assets = assetUrls(res.text);
    assert.ok(assets.length >= 3, `${path} names its assets: ${assets}`);
    for (const url of assets) {
      assert.match(url, /\?v=[0-9a-f]{12}$/, `${url} carries the release digest`);
      const asset = await api(T, 'GET', url, { role: 'none' });
      assert.equal(asset.status, 200, `${url}: ${describeRes(asset)}`);
      assert.match(asset.headers.get('content-type') ?? '', /^(text\/javascript|text\/css); charset=utf-8$/, url);
      assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable', url);
      assert.equal(asset.headers.get('x-content-type-options'), 'nosniff', url);
      assert.ok(asset.text.length > 100, url);
    }
  }
  const js = await api(T, 'GET', '/docs/assets/docs.js', { role: 'none' });
  assert.match(js.text, /url: '\/openapi\.json'/, 'Swagger UI loads this server\'s document');
});

test('/app redirects to /app/; unknown assets are 404 in the error envelope', TO, async () => {
  const redirect = await api(T, 'GET', '/app', { role: 'none' });
  assert.equal(redirect.status, 301, describeRes(redirect));
  assert.equal(redirect.headers.get('location'), '/app/');
  assertDocumented('GET', '/app', redirect);
  for (const path of ['/app/assets/nope.js', '/docs/assets/..%2F..%2Fetc%2Fpasswd', '/docs/assets/index.html']) {
    const res = await api(T, 'GET', path, { role: 'none' });
    assert.equal(res.status, 404, `${path}: ${describeRes(res)}`);
    assert.equal(res.json?.error?.code, 'NOT_FOUND', path);
  }
  const document = await api(T, 'GET', '/openapi.json', { role: 'none' });
  assert.equal(document.headers.get('cache-control'), 'no-cache');
});
