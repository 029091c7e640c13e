// Edit conflicts on the lead manager page (CONTRACT.md section 8): the page sends the version
// it read with every edit and delete (If-Match). When a colleague saved first, saving opens a
// dialog with both versions side by side: "keep mine" saves this page's changes over the
// current version, "take the current one" drops them; a stale delete deletes nothing.
// Screenshots at desktop and phone width go to the output folder printed at the start.
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
let page;
let shot;
let colleague;  // the API as another sales user would use it
let lead;

before(async () => {
  if (SKIP) return;
  const dir = outputDir('conflict');
  console.log(`screenshots: ${dir}`);
  server = await startServerWithUsers();
  const token = await accessToken(server, 'sales');
  colleague = { baseUrl: server.baseUrl, headers: () => bearer(token) };
  const created = await api(colleague, 'POST', '/pcustomers', {
    body: { fullName: 'Đặng Thu Thảo', phone: '0912000111', age: 30, productCode: 'home_loan' },
  });
  assert.equal(created.status, 201, describeRes(created));
  lead = created.json.data;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'vi-VN' });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  watchPage(page, server.baseUrl);
  shot = screenshotter(page, dir);
  await page.goto(`${server.baseUrl}/app/`);
  await page.getByLabel('Tên đăng nhập').fill(USERS.sales.username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByLabel('Mật khẩu').press('Enter');
  await page.locator('#customer-rows tr', { hasText: 'Đặng Thu Thảo' }).waitFor();
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  await server?.close();
});

const row = () => page.locator('#customer-rows tr', { hasText: 'Đặng Thu Thảo' });
const field = (label) => page.locator('#customer-dialog').getByLabel(label, { exact: true });
const stored = async () => (await api(colleague, 'GET', `/pcustomers/${encodeURIComponent(lead.id)}`)).json.data;

// Opens the edit dialog, sets the age there, and lets the colleague change the product code
// before the page saves.
async function editWhileAColleagueSaves(age, productCode) {
  await row().getByRole('button', { name: 'Sửa Đặng Thu Thảo' }).click();
  await field('Tuổi').fill(String(age));
  const theirs = await api(colleague, 'PATCH', `/pcustomers/${encodeURIComponent(lead.id)}`, { body: { productCode } });
  assert.equal(theirs.status, 200, describeRes(theirs));
  await page.getByRole('button', { name: 'Lưu' }).click();
  await page.locator('#conflict-dialog').waitFor({ state: 'visible' });
}

function comparisonRow(label) {
  return page.locator('#conflict-rows tr', { has: page.locator('th', { hasText: label }) });
}

test('a save after a colleague\'s shows both versions; "keep mine" saves my change over theirs', TO, async () => {
  await editWhileAColleagueSaves(41, 'car');
  await page.getByRole('heading', { name: 'Khách hàng vừa được người khác sửa' }).waitFor();
  assert.deepEqual(await comparisonRow('Tuổi').locator('td').allTextContents(), ['41', '30']);
  // "Mine" is what keeping it stores: my change over the current version, whose product code
  // I did not touch.
  assert.deepEqual(await comparisonRow('Mã sản phẩm').locator('td').allTextContents(), ['car', 'car']);
  assert.equal(await comparisonRow('Tuổi').getAttribute('class'), 'conflict-differs');
  assert.equal(await comparisonRow('Mã sản phẩm').getAttribute('class'), null);
  // The safe choice has the focus.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'conflict-theirs');
  await shot('conflict-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot('conflict-phone');
  await page.setViewportSize({ width: 1280, height: 820 });

  await page.getByRole('button', { name: 'Giữ bản của tôi' }).click();
  await page.locator('#conflict-dialog').waitFor({ state: 'hidden' });
  await page.locator('#notice', { hasText: 'Đã cập nhật' }).waitFor();
  // Only the field this page changed was written: the colleague's product code stays.
  const now = await stored();
  assert.equal(now.age, 41);
  assert.equal(now.productCode, 'car');
  assert.equal(now.version, 3);
  await row().filter({ hasText: '41' }).waitFor();
});

test('"take the current one" drops my change and shows the stored lead', TO, async () => {
  await editWhileAColleagueSaves(55, 'savings');
  await page.getByRole('button', { name: 'Lấy bản hiện tại' }).click();
  await page.locator('#conflict-dialog').waitFor({ state: 'hidden' });
  await page.locator('#notice', { hasText: 'Đã giữ bản hiện tại' }).waitFor();
  const now = await stored();
  assert.equal(now.age, 41);
  assert.equal(now.productCode, 'savings');
  await row().filter({ hasText: 'savings' }).waitFor();
  await shot('took-theirs');
});

test('a delete confirmed after a colleague\'s change deletes nothing and says why', TO, async () => {
  await row().getByRole('button', { name: 'Xoá Đặng Thu Thảo' }).click();
  await page.locator('#delete-dialog').waitFor({ state: 'visible' });
  const theirs = await api(colleague, 'PATCH', `/pcustomers/${encodeURIComponent(lead.id)}`, { body: { age: 60 } });
  assert.equal(theirs.status, 200, describeRes(theirs));
  await page.locator('#delete-confirm').click();
  await page.locator('#delete-dialog').waitFor({ state: 'hidden' });
  await page.locator('#banner-text', { hasText: 'vừa được người khác sửa nên chưa bị xoá' }).waitFor();
  assert.equal((await stored()).age, 60);
  await row().filter({ hasText: '60' }).waitFor();
  await shot('stale-delete');
});
