// CONTRACT section 4: validation of create and update bodies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupTarget } from './lib/target.mjs';
import {
  api, describeRes, newCustomer, createCustomer, uniquePhone, idPath, core,
  assertValidation, assertError, assertCustomer, reasonFor,
} from './lib/client.mjs';

let T;
before(async () => { T = await setupTarget(); }, { timeout: 60_000 });
after(async () => { await T?.close(); });

const TO = { timeout: 60_000 };

const MSG = {
  fullName: "fullName must be a valid VietNamese Name. Don't include any special character.",
  phone: 'phone must be a valid VietNamese phone number',
  productCode: "ProductCode must be a valid snake_case and don't include any special character.",
};

// The reference messages are checked exactly for string input; other JSON types may get a
// type message instead, so only their source is checked.
const exactDesc = (v) => typeof v === 'string' && v.trim() !== '';

const name100 = 'Abcd' + ' Abc'.repeat(24);
const name101 = 'Abcde' + ' Abc'.repeat(24);

const INVALID = {
  fullName: ['nguyễn văn an', 'Nguyễn', 'Nguyễn Văn An1', 'Nguyễn Văn An!', 'Nguyễn_Văn', 'NGuyễn Văn', 'Nguyễn văn An',
    'Nguyễn Văn An 123', 'Nguyễn Văn An.', 'Jürgen Müller', 'Иван Петров', 'Nguyễn 😀', '', '   ', name101,
    '<script>alert(1)</script>', "Nguyễn Văn'; DROP TABLE x", 'Nguyễn-Văn An', 'Nguyễn Văn \u0000An', 'Ñam Văn',
    123, null, true, ['Nguyễn Văn An'], { first: 'An' }],
  phone: ['abc0912345678', '0912345678abc', '091234567', '09123456789', '1234567890', '02438123456', '+84 24 3812 3456',
    '+1 650 253 0000', '0012345678', '', '   ', '09l2345678', 'O912345678', '0912 345 67\uff18', '+84+912345678',
    '0912/345/678', '0912345678 ext 1', '09123ABCDE', 912345678, 84912345678, null, true, ['0912345678'], {}],
  age: [17, 91, 0, -1, 1000, 18.5, 30.5, 89.999, '30', ' 30 ', '', true, false, null, [30], { v: 30 }],
  productCode: ['Household_tool', 'household-tool', 'household__tool', '_household', 'household_', 'household tool',
    'household1', 'hộ_gia_đình', '', '   ', 'a'.repeat(65), 'HOUSEHOLD', 'house.hold', 123, null, true, ['car'], {}],
};

test('valid boundary values are accepted', TO, async () => {
  const ok = [
    { fullName: 'Ngô Ý' }, { fullName: 'Nguyễn Văn A' }, { fullName: 'A Bảo' }, { fullName: 'Đặng Ư Ơ' },
    { fullName: name100 }, { fullName: `  ${name100}  ` }, { fullName: 'Zoe Wu Fox' },
    { age: 18 }, { age: 90 }, { productCode: 'a'.repeat(64) }, { productCode: 'x' }, { productCode: 'a_b_c' },
  ];
  for (const over of ok) {
    const body = newCustomer(over);
    const res = await api(T, 'POST', '/pcustomers', { body });
    assert.equal(res.status, 201, `${JSON.stringify(over)}: ${describeRes(res)}`);
    const expected = Object.fromEntries(Object.entries(over).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]));
    assertCustomer(res.json.data, expected);
  }
});

test('age written as 30.0 is accepted as 30', TO, async () => {
  for (const lit of ['30.0', '18.0', '9e1']) {
    const b = newCustomer();
    const raw = `{"fullName":${JSON.stringify(b.fullName)},"phone":"${b.phone}","age":${lit},"productCode":"car"}`;
    const res = await api(T, 'POST', '/pcustomers', { rawBody: raw });
    if (lit === '9e1' && res.status === 400) continue; // exponent form: either accepted as 90 or refused
    assert.equal(res.status, 201, `age ${lit}: ${describeRes(res)}`);
    assert.equal(res.json.data.age, Number(lit));
    assert.ok(Number.isInteger(res.json.data.age));
  }
});

for (const field of Object.keys(INVALID)) {
  test(`invalid ${field} values are rejected with one reason for ${field}`, TO, async () => {
    for (const value of INVALID[field]) {
      const body = newCustomer({ [field]: value });
      const res = await api(T, 'POST', '/pcustomers', { body });
      const reasons = assertValidation(res, [field]);
      if (MSG[field] && exactDesc(value)) {
        assert.deepEqual(reasonFor(res, field), { source: field, desc: MSG[field] }, `${JSON.stringify(value)}: ${describeRes(res)}`);
      }
      assert.equal(reasons.length, 1, `one reason per bad field: ${describeRes(res)}`);
    }
  });
}

test('age values that are not JSON integers in range are rejected', TO, async () => {
  for (const lit of ['1e400', '-1e400', '300000000000000000000', '18.000001', '17.9999', '90.5', '1e2', '-0.5']) {
    const b = newCustomer();
    const raw = `{"fullName":${JSON.stringify(b.fullName)},"phone":"${b.phone}","age":${lit},"productCode":"car"}`;
    const res = await api(T, 'POST', '/pcustomers', { rawBody: raw });
    assertError(res, 400, 'BAD_REQUEST');
  }
});

test('a create without any field reports all four', TO, async () => {
  assertValidation(await api(T, 'POST', '/pcustomers', { body: {} }), ['fullName', 'phone', 'age', 'productCode']);
  assertValidation(await api(T, 'POST', '/pcustomer', { body: {} }), ['fullName', 'phone', 'age', 'productCode']);
});

test('each missing field on create is reported', TO, async () => {
  for (const field of ['fullName', 'phone', 'age', 'productCode']) {
    const body = newCustomer();
    delete body[field];
    assertValidation(await api(T, 'POST', '/pcustomers', { body }), [field]);
  }
});

test('all failing fields are reported at once', TO, async () => {
  const res = await api(T, 'POST', '/pcustomers', {
    body: { fullName: 'bad name1', phone: 'abc', age: 5, productCode: 'Bad-Code', extra: 1 },
  });
  assertValidation(res, ['fullName', 'phone', 'age', 'productCode', 'extra']);
  for (const f of ['fullName', 'phone', 'productCode']) assert.equal(reasonFor(res, f).desc, MSG[f]);
});

test('unknown keys on create are reported as "<key>" is not allowed', TO, async () => {
  const cases = [
    { foo: 1 }, { foo: 'x', bar: null }, { id: 'CUSTOMER#1' }, { type: 'potential_customer' },
    { createAt: '2026-01-01T00:00:00.000Z' }, { FullName: 'Nguyễn Văn An' }, { '': 1 }, { isAdmin: true },
  ];
  for (const extra of cases) {
    const body = { ...newCustomer(), ...extra };
    const res = await api(T, 'POST', '/pcustomers', { body });
    const keys = Object.keys(extra);
    assertValidation(res, keys);
    for (const k of keys) {
      assert.deepEqual(reasonFor(res, k), { source: k, desc: `"${k}" is not allowed` }, describeRes(res));
    }
  }
  // A key that JSON.stringify would drop.
  const b = newCustomer();
  const raw = `{"fullName":${JSON.stringify(b.fullName)},"phone":"${b.phone}","age":30,"productCode":"car","__proto__":{"isAdmin":true}}`;
  const res = await api(T, 'POST', '/pcustomers', { rawBody: raw });
  assertValidation(res, ['__proto__']);
  assert.deepEqual(reasonFor(res, '__proto__'), { source: '__proto__', desc: '"__proto__" is not allowed' });
  // A wrongly-cased key is unknown, and the real field is then missing.
  const body = newCustomer();
  body.FullName = body.fullName;
  delete body.fullName;
  assertValidation(await api(T, 'POST', '/pcustomers', { body }), ['FullName', 'fullName']);
});

test('nothing is stored when a create is rejected', TO, async () => {
  const phone = uniquePhone();
  assertValidation(await api(T, 'POST', '/pcustomers', { body: newCustomer({ phone, age: 5 }) }), ['age']);
  assertValidation(await api(T, 'POST', '/pcustomers', { body: newCustomer({ phone, foo: 1 }) }), ['foo']);
  const c = await createCustomer(T, { phone });
  assert.equal(c.phone, phone);
});

test('PATCH validates each field like create and changes nothing on failure', TO, async () => {
  const c = await createCustomer(T);
  for (const field of Object.keys(INVALID)) {
    for (const value of INVALID[field].slice(0, 8).concat([null])) {
      const res = await api(T, 'PATCH', idPath(c.id), { body: { [field]: value } });
      assertValidation(res, [field]);
      if (MSG[field] && exactDesc(value)) assert.equal(reasonFor(res, field).desc, MSG[field], describeRes(res));
    }
  }
  // One bad field spoils the whole request.
  assertValidation(await api(T, 'PATCH', idPath(c.id), { body: { age: 40, phone: 'abc' } }), ['phone']);
  assertValidation(await api(T, 'PATCH', idPath(c.id), { body: { fullName: 'x', age: 200 } }), ['fullName', 'age']);
  const got = await api(T, 'GET', idPath(c.id));
  assert.deepEqual(core(got.json.data), core(c));
});

test('PATCH with an empty object is 400', TO, async () => {
  const c = await createCustomer(T);
  const res = await api(T, 'PATCH', idPath(c.id), { body: {} });
  assertError(res, 400, 'BAD_REQUEST');
});

test('unknown keys on PATCH are reported as "<key>" is not allowed', TO, async () => {
  const c = await createCustomer(T);
  for (const extra of [{ foo: 1 }, { age: 40, foo: 1 }, { foo: 1, bar: 2 }, { constructor: 'x' }]) {
    const res = await api(T, 'PATCH', idPath(c.id), { body: extra });
    const keys = Object.keys(extra).filter((k) => !['fullName', 'phone', 'age', 'productCode'].includes(k));
    assertValidation(res, keys);
    for (const k of keys) assert.deepEqual(reasonFor(res, k), { source: k, desc: `"${k}" is not allowed` });
  }
  assert.deepEqual(core((await api(T, 'GET', idPath(c.id))).json.data), core(c));
});

test('validation runs on trimmed NFC input', TO, async () => {
  const cases = [
    [{ fullName: ' \u00a0Nguyễn Văn An\u00a0 ' }, { fullName: 'Nguyễn Văn An' }, 'no-break spaces'],
    [{ fullName: 'Ngô Ý'.normalize('NFD') }, { fullName: 'Ngô Ý' }, 'NFD single letter'],
    [{ productCode: '\tcar\n' }, { productCode: 'car' }, 'tab/newline'],
  ];
  for (const [over, expected, label] of cases) {
    const res = await api(T, 'POST', '/pcustomers', { body: newCustomer(over) });
    if (label === 'no-break spaces' && res.status === 400) continue; // NBSP is not ASCII white space; either way
    assert.equal(res.status, 201, `${label}: ${describeRes(res)}`);
    assertCustomer(res.json.data, expected);
  }
});
