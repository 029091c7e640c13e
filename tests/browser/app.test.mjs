// The lead manager page (/app/) in a real browser: a sales user signs in, meets a field error
// beside the phone field, creates, finds, edits, pages through and deletes customers; the
// session survives a rejected access token (silent refresh) and ends cleanly when the refresh
// token is gone; a network failure is explained; the language choice is remembered; marketing gets a read-only page at phone
// width and the API still refuses its writes. A screenshot of each step goes to the output
// folder printed at the start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, describeRes } from '../api/lib/client.mjs';
import { bearer, refreshRes } from '../api/lib/auth.mjs';
import {
  APP_CSP, PASSWORD, USERS, skipReason, outputDir, startServerWithUsers, accessToken, launchChromium, watchPage, screenshotter,
} from './lib/browser.mjs';

const SKIP = skipReason();
const TO = { timeout: 30_000, skip: SKIP };

let server;
let browser;
let context;
let page;
let watch;
let shot;
let salesToken;

before(async () => {
  if (SKIP) return;
  const dir = outputDir('app');
  console.log(`screenshots: ${dir}`);
  server = await startServerWithUsers();
  salesToken = await accessToken(server, 'sales');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'vi-VN' });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  watch = watchPage(page, server.baseUrl);
  shot = screenshotter(page, dir);
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  await server?.close();
});

const row = (name) => page.locator('#customer-rows tr', { hasText: name });
// A field of the create/edit dialog (the search filters have a "Tuổi từ" and a "Mã sản phẩm" too).
const field = (label) => page.locator('#customer-dialog').getByLabel(label, { exact: true });

async function signInAs(p, who) {
  await p.getByLabel(/Tên đăng nhập|Username/).fill(USERS[who].username);
  await p.getByLabel(/Mật khẩu|Password/).fill(PASSWORD);
  await p.getByLabel(/Mật khẩu|Password/).press('Enter');
  await p.locator('#list-view').waitFor({ state: 'visible' });
}

test('/app redirects to /app/, which is Vietnamese by default and sent with a strict CSP', TO, async () => {
  const response = await page.goto(`${server.baseUrl}/app`);
  assert.ok(page.url().endsWith('/app/'), page.url());
  assert.equal(response.headers()['content-security-policy'], APP_CSP);
  assert.equal(response.headers()['x-frame-options'], 'DENY');
  assert.equal(response.headers()['referrer-policy'], 'no-referrer');
  assert.equal(response.headers()['x-content-type-options'], 'nosniff');
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  await shot('sign-in');
});

test('sales signs in with Enter and sees the (empty) list with write controls', TO, async () => {
  await signInAs(page, 'sales');
  await page.locator('#whoami', { hasText: USERS.sales.username }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Thêm khách hàng' }).isVisible());
  await page.locator('#list-status', { hasText: 'Chưa có khách hàng nào.' }).waitFor();
  await shot('empty-list');
});

test('an invalid phone is reported beside the phone field; fixed, the customer is created', TO, async () => {
  await page.getByRole('button', { name: 'Thêm khách hàng' }).click();
  const dialog = page.locator('#customer-dialog');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'field-fullName', 'focus starts on the name');
  await field('Họ và tên').fill('Nguyễn Văn An');
  await field('Số điện thoại').fill('12345');
  await field('Tuổi').fill('30');
  await field('Mã sản phẩm').fill('household_tool');
  await field('Mã sản phẩm').press('Enter');

  const phoneError = page.locator('.field:has(#field-phone) #phone-error');
  await phoneError.waitFor({ state: 'visible' });
  assert.match(await phoneError.textContent(), /Số điện thoại phải là số di động Việt Nam hợp lệ/);
  assert.equal(await page.locator('#field-phone').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#fullName-error').textContent(), '');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'field-phone', 'focus moves to the bad field');
  await shot('invalid-phone');

  await field('Số điện thoại').fill('0912 345 678');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await row('Nguyễn Văn An').waitFor();
  assert.match(await row('Nguyễn Văn An').textContent(), /0912345678/);
  await page.locator('#notice', { hasText: 'Đã thêm khách hàng Nguyễn Văn An.' }).waitFor();
  await shot('created');
});

test('a phone used by another customer names that customer; Escape closes the dialog', TO, async () => {
  const opener = page.getByRole('button', { name: 'Thêm khách hàng' });
  await opener.click();
  await field('Họ và tên').fill('Trần Thị Bình');
  await field('Số điện thoại').fill('+84912345678');
  await field('Tuổi').fill('25');
  await field('Mã sản phẩm').fill('book');
  await field('Mã sản phẩm').press('Enter');
  await page.locator('#phone-error', { hasText: 'đã được dùng cho khách hàng Nguyễn Văn An' }).waitFor();
  await shot('phone-taken');
  await page.keyboard.press('Escape');
  await page.locator('#customer-dialog').waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'create-button', 'focus returns to the opener');
});

test('the customer is edited in place', TO, async () => {
  await row('Nguyễn Văn An').getByRole('button', { name: 'Sửa Nguyễn Văn An' }).click();
  await page.getByRole('heading', { name: 'Sửa thông tin khách hàng' }).waitFor();
  assert.equal(await field('Số điện thoại').inputValue(), '0912345678');
  await field('Họ và tên').fill('Trần Văn Anh');
  await field('Số điện thoại').fill('0987654321');
  await field('Tuổi').fill('28');
  await field('Mã sản phẩm').fill('book');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await page.locator('#customer-dialog').waitFor({ state: 'hidden' });
  await row('Trần Văn Anh').waitFor();
  const text = await row('Trần Văn Anh').textContent();
  assert.match(text, /0987654321/);
  assert.match(text, /28/);
  assert.match(text, /book/);
  assert.equal(await row('Nguyễn Văn An').count(), 0);
  await shot('edited');
});

test('next and previous pages follow the cursors; the page size can change', TO, async () => {
  const target = { baseUrl: server.baseUrl, headers: () => bearer(salesToken) };
  for (let i = 0; i < 11; i++) {
    const res = await api(target, 'POST', '/pcustomers', {
      body: { fullName: `Lê Văn ${String.fromCharCode(65 + i)}`, phone: `09120000${String(i).padStart(2, '0')}`, age: 20 + i,
        productCode: 'book' },
    });
    assert.equal(res.status, 201, describeRes(res));
  }
  await page.getByRole('button', { name: 'Tải lại' }).click();
  await page.locator('#page-info', { hasText: 'Trang 1 · 10 khách hàng' }).waitFor();
  assert.ok(await page.locator('#prev-page').isDisabled());
  await page.getByRole('button', { name: 'Trang sau →' }).click();
  await page.locator('#page-info', { hasText: 'Trang 2 · 2 khách hàng' }).waitFor();
  assert.ok(await page.locator('#next-page').isDisabled());
  await shot('page-2');
  await page.getByRole('button', { name: '← Trang trước' }).click();
  await page.locator('#page-info', { hasText: 'Trang 1 · 10 khách hàng' }).waitFor();
  assert.ok(await row('Trần Văn Anh').isVisible(), 'the first page again');
  await page.getByLabel('Số dòng mỗi trang').selectOption('20');
  await page.locator('#page-info', { hasText: 'Trang 1 · 12 khách hàng' }).waitFor();
  assert.ok(await page.locator('#next-page').isDisabled());
});

test('a network failure is explained, and the next try works', TO, async () => {
  await context.setOffline(true);
  try {
    await page.getByRole('button', { name: 'Tải lại' }).click();
    await page.locator('#banner', { hasText: 'Không kết nối được tới máy chủ.' }).waitFor();
    await shot('offline');
  } finally {
    await context.setOffline(false);
  }
  await page.getByRole('button', { name: 'Tải lại' }).click();
  await page.locator('#banner').waitFor({ state: 'hidden' });
  await page.locator('#page-info', { hasText: 'Trang 1 · 12 khách hàng' }).waitFor();
});

test('delete asks for confirmation (focus on Cancel), then removes the customer', TO, async () => {
  await row('Trần Văn Anh').getByRole('button', { name: 'Xoá Trần Văn Anh' }).click();
  await page.locator('#delete-dialog').waitFor({ state: 'visible' });
  assert.match(await page.locator('#delete-question').textContent(), /Trần Văn Anh.*0987654321/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'delete-cancel');
  await shot('confirm-delete');
  await page.locator('#delete-confirm').click();
  await page.locator('#delete-dialog').waitFor({ state: 'hidden' });
  await page.locator('#notice', { hasText: 'Đã xoá khách hàng Trần Văn Anh (có thể khôi phục trong Thùng rác).' }).waitFor();
  // The notice comes first; the list reloads after it.
  await row('Trần Văn Anh').waitFor({ state: 'detached' });
  await page.locator('#page-info', { hasText: 'Trang 1 · 11 khách hàng' }).waitFor();
  await shot('deleted');
});

test('a rejected access token is refreshed silently; a dead refresh token ends the session', TO, async () => {
  const before = await page.evaluate(() => JSON.parse(sessionStorage.getItem('pcustomer.session')));
  await page.evaluate(() => {
    const s = JSON.parse(sessionStorage.getItem('pcustomer.session'));
    s.accessToken = 'not-a-token';
    sessionStorage.setItem('pcustomer.session', JSON.stringify(s));
  });
  await page.reload();
  await page.locator('#page-info', { hasText: 'khách hàng' }).waitFor();
  await page.locator('#customer-rows tr').first().waitFor();
  assert.ok(await page.locator('#banner').isHidden(), 'no error shown');
  const after = await page.evaluate(() => JSON.parse(sessionStorage.getItem('pcustomer.session')));
  assert.notEqual(after.accessToken, 'not-a-token');
  assert.notEqual(after.refreshToken, before.refreshToken, 'the refresh token was rotated');

  await page.evaluate(() => {
    const s = JSON.parse(sessionStorage.getItem('pcustomer.session'));
    s.accessToken = 'not-a-token';
    s.refreshToken = 'revoked';
    sessionStorage.setItem('pcustomer.session', JSON.stringify(s));
  });
  await page.reload();
  await page.locator('#sign-in-view').waitFor({ state: 'visible' });
  await page.locator('#banner', { hasText: 'Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.' }).waitFor();
  await shot('session-expired');
});

test('English is one click away and remembered; sign-out revokes the refresh token', TO, async () => {
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await signInAs(page, 'sales');
  await page.locator('#page-info', { hasText: 'Page 1 · 11 customers' }).waitFor();
  await shot('english');
  const { refreshToken } = await page.evaluate(() => JSON.parse(sessionStorage.getItem('pcustomer.session')));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#notice', { hasText: 'You have signed out.' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('pcustomer.session')), null);
  let res;
  for (let i = 0; i < 20; i++) {  // sign-out is sent without waiting for the answer
    res = await refreshRes(server, refreshToken);
    if (res.status === 401) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(res.status, 401, describeRes(res));
  watch.assertClean();
});

test('marketing gets a read-only page at phone width, and the API refuses its writes', TO, async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN', hasTouch: true });
  try {
    const p = await phone.newPage();
    p.setDefaultTimeout(10_000);
    const phoneWatch = watchPage(p, server.baseUrl);
    const phoneShot = screenshotter(p, outputDir('app-marketing'));
    await p.goto(`${server.baseUrl}/app/`);
    await signInAs(p, 'marketing');
    await p.locator('#customer-rows tr').first().waitFor();
    assert.ok(await p.locator('#read-only-note').isVisible());
    // Role locators see only what is rendered: hidden controls do not count.
    assert.equal(await p.getByRole('button', { name: 'Thêm khách hàng' }).count(), 0, 'no create button');
    assert.equal(await p.getByRole('button', { name: /^(Sửa|Xoá) / }).count(), 0, 'no edit or delete buttons');
    assert.equal(await p.locator('.edit-button, .delete-button').count(), 0, 'no edit or delete buttons in the DOM');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling at phone width (${width}px)`);
    await phoneShot('marketing-phone');
    phoneWatch.assertClean();
  } finally {
    await phone.close();
  }

  const token = await accessToken(server, 'marketing');
  const marketing = { baseUrl: server.baseUrl, headers: () => bearer(token) };
  const list = await api(marketing, 'GET', '/pcustomers?limit=1');
  assert.equal(list.status, 200, describeRes(list));
  const id = encodeURIComponent(list.json.data[0].id);
  for (const [method, path, body] of [
    ['POST', '/pcustomers', { fullName: 'Phạm Minh Châu', phone: '0933333333', age: 40, productCode: 'book' }],
    ['PATCH', `/pcustomers/${id}`, { age: 41 }],
    ['DELETE', `/pcustomers/${id}`, undefined],
  ]) {
    const res = await api(marketing, method, path, { body });
    assert.equal(res.status, 403, `${method} ${path} as marketing: ${describeRes(res)}`);
    assert.equal(res.json?.error?.code, 'FORBIDDEN');
  }
});
