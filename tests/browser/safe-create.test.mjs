// Safe creates on the lead manager page (CONTRACT.md section 8): every create carries an
// Idempotency-Key, the same one while the form sends the same fields, so a retry after an
// answer lost on the network makes no second lead; changed fields are a new key; a create the
// server is still running is asked again after Retry-After. Screenshots at desktop and phone
// width go to the output folder printed at the start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, describeRes } from '../api/lib/client.mjs';
import { bearer } from '../api/lib/auth.mjs';
import {
  PASSWORD, USERS, skipReason, outputDir, startServerWithUsers, accessToken, launchChromium, watchPage, screenshotter,
} from './lib/browser.mjs';

const SKIP = skipReason();
const TO = { timeout: 30_000, skip: SKIP };

let server;
let browser;
let context;
let page;
let watch;
let shot;
let colleague;  // the API as another sales user would use it

before(async () => {
  if (SKIP) return;
  const dir = outputDir('safe-create');
  console.log(`screenshots: ${dir}`);
  server = await startServerWithUsers();
  const token = await accessToken(server, 'sales');
  colleague = { baseUrl: server.baseUrl, headers: () => bearer(token) };
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'vi-VN' });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  watch = watchPage(page, server.baseUrl);
  shot = screenshotter(page, dir);
  await page.goto(`${server.baseUrl}/app/`);
  await page.getByLabel('Tên đăng nhập').fill(USERS.sales.username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByLabel('Mật khẩu').press('Enter');
  await page.locator('#list-view').waitFor({ state: 'visible' });
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  await server?.close();
});

const field = (label) => page.locator('#customer-dialog').getByLabel(label, { exact: true });
const isCreate = (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/pcustomers';

async function fillCreateForm({ fullName, phone, age, productCode }) {
  await page.getByRole('button', { name: 'Thêm khách hàng' }).click();
  await page.locator('#customer-dialog').waitFor({ state: 'visible' });
  await field('Họ và tên').fill(fullName);
  await field('Số điện thoại').fill(phone);
  await field('Tuổi').fill(String(age));
  await field('Mã sản phẩm').fill(productCode);
}

/** The leads holding `phone`, as the API finds them. */
async function leadsWithPhone(phone) {
  const res = await api(colleague, 'GET', `/pcustomers?q=${phone}&limit=100`);
  assert.equal(res.status, 200, describeRes(res));
  return res.json.data.filter((lead) => lead.phone === phone);
}

/** Records the Idempotency-Key of every create the page sends. */
function recordCreateKeys() {
  const keys = [];
  const listener = (request) => { if (isCreate(request)) keys.push(request.headers()['idempotency-key']); };
  page.on('request', listener);
  return { keys, stop: () => page.off('request', listener) };
}

test('an answer lost on the network: saving again makes no second lead', TO, async () => {
  const sent = recordCreateKeys();
  let lost = 0;
  // The first create reaches the server and lands; its answer never reaches the page.
  await page.route('**/pcustomers', async (route) => {
    if (!isCreate(route.request()) || lost > 0) return route.fallback();
    lost += 1;
    await route.fetch();
    await route.abort('connectionreset');
  });
  try {
    await fillCreateForm({ fullName: 'Vũ Minh Khôi', phone: '0913222333', age: 35, productCode: 'car' });
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.locator('#customer-form-error', { hasText: 'Không kết nối được tới máy chủ.' }).waitFor();
    await shot('answer-lost');
    assert.equal((await leadsWithPhone('0913222333')).length, 1, 'the first try landed');
    const replayed = page.waitForResponse((res) => isCreate(res.request()));
    await page.getByRole('button', { name: 'Lưu' }).click();
    const answer = await replayed;
    assert.equal(answer.status(), 201);
    assert.equal(answer.headers()['idempotent-replayed'], 'true');
    await page.locator('#customer-dialog').waitFor({ state: 'hidden' });
    await page.locator('#notice', { hasText: 'Đã thêm khách hàng Vũ Minh Khôi.' }).waitFor();
    await page.locator('#customer-rows tr', { hasText: 'Vũ Minh Khôi' }).waitFor();
    await shot('created-once');
  } finally {
    await page.unroute('**/pcustomers');
    sent.stop();
  }
  assert.equal(sent.keys.length, 2);
  assert.match(sent.keys[0], /^[0-9a-f]{32}$/);
  assert.equal(sent.keys[1], sent.keys[0], 'the retry carries the first try\'s key');
  assert.equal((await leadsWithPhone('0913222333')).length, 1, 'still one lead');
  watch.assertClean();
});

test('changed fields are a new request with a new key; the next lead a new one again', TO, async () => {
  const sent = recordCreateKeys();
  try {
    await fillCreateForm({ fullName: 'Hồ Thị Quỳnh', phone: '12345', age: 28, productCode: 'book' });
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.locator('#phone-error', { hasText: 'Số điện thoại phải là số di động Việt Nam hợp lệ' }).waitFor();
    await field('Số điện thoại').fill('0914333444');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.locator('#notice', { hasText: 'Đã thêm khách hàng Hồ Thị Quỳnh.' }).waitFor();
    await fillCreateForm({ fullName: 'Đỗ Văn Nam', phone: '0915444555', age: 40, productCode: 'book' });
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.locator('#notice', { hasText: 'Đã thêm khách hàng Đỗ Văn Nam.' }).waitFor();
  } finally {
    sent.stop();
  }
  assert.equal(sent.keys.length, 3);
  assert.equal(new Set(sent.keys).size, 3, sent.keys.join(' '));
  assert.equal((await leadsWithPhone('0914333444')).length, 1);
  assert.equal((await leadsWithPhone('0915444555')).length, 1);
});

test('a create still running on the server is asked again, then shown as created (phone width)', TO, async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  const sent = recordCreateKeys();
  let held = 0;
  // The server's answer while another try with the key runs: 409 naming the key.
  await page.route('**/pcustomers', async (route) => {
    if (!isCreate(route.request()) || held > 0) return route.fallback();
    held += 1;
    await route.fulfill({
      status: 409,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '1' },
      body: JSON.stringify({ error: { message: 'in flight', code: 'CONFLICT',
        details: { reasons: [{ source: 'Idempotency-Key', desc: 'in flight' }] } } }),
    });
  });
  try {
    await fillCreateForm({ fullName: 'Lý Gia Bảo', phone: '0916555666', age: 22, productCode: 'car' });
    await shot('phone-width-form');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.locator('#notice', { hasText: 'Đã thêm khách hàng Lý Gia Bảo.' }).waitFor();
    await shot('phone-width-created');
  } finally {
    await page.unroute('**/pcustomers');
    sent.stop();
    await page.setViewportSize({ width: 1280, height: 820 });
  }
  assert.equal(sent.keys.length, 2);
  assert.equal(sent.keys[1], sent.keys[0]);
  assert.equal((await leadsWithPhone('0916555666')).length, 1);
  watch.assertClean();
});
