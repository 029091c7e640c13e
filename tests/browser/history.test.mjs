// A lead's history on the lead manager page (CONTRACT.md section 8): every reader opens a
// timeline of the lead's changes, newest first, with who made each one, when, and which fields
// went from what to what; older entries page in with "Xem thêm". Screenshots at desktop and
// phone width go to the output folder printed at the start.
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
let shotDir;
let sales;  // the API as the sales user
let lead;

before(async () => {
  if (SKIP) return;
  shotDir = outputDir('history');
  console.log(`screenshots: ${shotDir}`);
  server = await startServerWithUsers();
  const token = await accessToken(server, 'sales');
  sales = { baseUrl: server.baseUrl, headers: () => bearer(token) };
  const created = await api(sales, 'POST', '/pcustomers', {
    body: { fullName: 'Đặng Thu Thảo', phone: '0912000111', age: 30, productCode: 'home_loan' },
  });
  assert.equal(created.status, 201, describeRes(created));
  lead = created.json.data;
  const patched = await api(sales, 'PATCH', `/pcustomers/${encodeURIComponent(lead.id)}`, {
    body: { age: 31, phone: '0912000222' },
  });
  assert.equal(patched.status, 200, describeRes(patched));
  browser = await launchChromium();
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  await server?.close();
});

async function signedInPage(who, viewport) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const watch = watchPage(page, server.baseUrl);
  await page.goto(`${server.baseUrl}/app/`);
  await page.getByLabel('Tên đăng nhập').fill(USERS[who].username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByLabel('Mật khẩu').press('Enter');
  await page.locator('#customer-rows tr', { hasText: 'Đặng Thu Thảo' }).waitFor();
  return { context, page, watch };
}

const entries = (page) => page.locator('#history-list > li');

test('the timeline shows each change with its author and fields, newest first; Escape closes it', TO, async () => {
  const { context, page, watch } = await signedInPage('sales', { width: 1280, height: 820 });
  const shot = screenshotter(page, shotDir);
  try {
    const opener = page.getByRole('button', { name: 'Lịch sử thay đổi của Đặng Thu Thảo' });
    await opener.click();
    await page.getByRole('heading', { name: 'Lịch sử thay đổi: Đặng Thu Thảo' }).waitFor();
    await entries(page).nth(1).waitFor();
    assert.equal(await entries(page).count(), 2);
    const newest = entries(page).nth(0);
    assert.match(await newest.locator('.history-head').textContent(), /^Sửa bởi lan\.sales · /);
    assert.deepEqual(await newest.locator('.history-changes li').allTextContents(),
      ['Số điện thoại: 0912000111 → 0912000222', 'Tuổi: 30 → 31']);
    const oldest = entries(page).nth(1);
    assert.match(await oldest.locator('.history-head').textContent(), /^Tạo mới bởi lan\.sales · /);
    assert.deepEqual(await oldest.locator('.history-changes li').allTextContents(),
      ['Họ và tên: Đặng Thu Thảo', 'Số điện thoại: 0912000111', 'Tuổi: 30', 'Mã sản phẩm: home_loan',
        'Trạng thái: new', 'Nguồn: other']);
    assert.equal(await oldest.locator('time').getAttribute('datetime'), lead.createAt);
    assert.ok(await page.locator('#history-more').isHidden(), 'no more pages');
    await shot('timeline-desktop');
    await page.keyboard.press('Escape');
    await page.locator('#history-dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')),
      'Lịch sử thay đổi của Đặng Thu Thảo', 'focus returns to the button that opened it');
    watch.assertClean();
  } finally {
    await context.close();
  }
});

test('a long history pages in with "Xem thêm" until its first entry', TO, async () => {
  for (let age = 40; age < 60; age++) {
    const res = await api(sales, 'PATCH', `/pcustomers/${encodeURIComponent(lead.id)}`, { body: { age } });
    assert.equal(res.status, 200, describeRes(res));
  }
  const { context, page, watch } = await signedInPage('sales', { width: 1280, height: 820 });
  try {
    await page.getByRole('button', { name: 'Lịch sử thay đổi của Đặng Thu Thảo' }).click();
    await entries(page).nth(19).waitFor();
    assert.equal(await entries(page).count(), 20);
    assert.match(await entries(page).nth(0).textContent(), /Tuổi: 58 → 59/);
    await page.getByRole('button', { name: 'Xem thêm' }).click();
    await entries(page).nth(21).waitFor();
    assert.equal(await entries(page).count(), 22);
    assert.match(await entries(page).nth(21).textContent(), /^Tạo mới bởi/);
    await page.locator('#history-more').waitFor({ state: 'hidden' });
    watch.assertClean();
  } finally {
    await context.close();
  }
});

test('marketing reads the history at phone width, without edit controls', TO, async () => {
  const { context, page, watch } = await signedInPage('marketing', { width: 390, height: 844 });
  const shot = screenshotter(page, shotDir);
  try {
    assert.equal(await page.locator('.edit-button, .delete-button').count(), 0);
    await shot('marketing-list-phone');
    await page.getByRole('button', { name: 'Lịch sử thay đổi của Đặng Thu Thảo' }).click();
    await entries(page).nth(0).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling at phone width (${width}px)`);
    await shot('timeline-phone');
    await page.getByRole('button', { name: 'Đóng' }).click();
    await page.locator('#history-dialog').waitFor({ state: 'hidden' });
    watch.assertClean();
  } finally {
    await context.close();
  }
});
