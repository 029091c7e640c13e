// The trash on the lead manager page (CONTRACT.md section 8): a deleted customer waits in
// *Thùng rác* with when and by whom; sales restores it (a phone taken meanwhile is explained,
// naming the customer holding it); only an admin erases for good, after a confirmation.
// Screenshots at desktop and phone width go to the output folder printed at the start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, describeRes } from '../api/lib/client.mjs';
import { ADMIN_PASSWORD, bearer, signIn } from '../api/lib/auth.mjs';
import {
  PASSWORD, USERS, skipReason, outputDir, startServerWithUsers, accessToken, launchChromium, watchPage, screenshotter,
} from './lib/browser.mjs';

const SKIP = skipReason();
const TO = { timeout: 30_000, skip: SKIP };

let server;
let browser;
let shotDir;
let sales;  // the API as the sales user

before(async () => {
  if (SKIP) return;
  shotDir = outputDir('trash');
  console.log(`screenshots: ${shotDir}`);
  server = await startServerWithUsers();
  const token = await accessToken(server, 'sales');
  sales = { baseUrl: server.baseUrl, headers: () => bearer(token) };
  browser = await launchChromium();
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  await server?.close();
});

async function createLead(fullName, phone) {
  const res = await api(sales, 'POST', '/pcustomers', { body: { fullName, phone, age: 35, productCode: 'car' } });
  assert.equal(res.status, 201, describeRes(res));
  return res.json.data;
}

async function signedInPage(username, password, viewport) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const watch = watchPage(page, server.baseUrl);
  await page.goto(`${server.baseUrl}/app/`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByLabel('Mật khẩu').press('Enter');
  await page.locator('#list-view').waitFor({ state: 'visible' });
  return { context, page, watch, shot: screenshotter(page, shotDir) };
}

const trashRow = (page, name) => page.locator('#trash-rows tr', { hasText: name });

test('a deleted customer waits in the trash and comes back with Khôi phục', TO, async () => {
  await createLead('Phan Thanh Hải', '0931000111');
  const { context, page, watch, shot } = await signedInPage(USERS.sales.username, PASSWORD, { width: 1280, height: 820 });
  try {
    const row = page.locator('#customer-rows tr', { hasText: 'Phan Thanh Hải' });
    await row.getByRole('button', { name: 'Xoá Phan Thanh Hải' }).click();
    assert.match(await page.locator('#delete-question').textContent(), /Thùng rác/);
    await page.locator('#delete-confirm').click();
    await page.locator('#notice', { hasText: 'Đã xoá khách hàng Phan Thanh Hải' }).waitFor();
    await page.getByRole('button', { name: 'Thùng rác' }).click();
    await page.getByRole('heading', { name: 'Thùng rác' }).waitFor();
    await trashRow(page, 'Phan Thanh Hải').waitFor();
    assert.match(await trashRow(page, 'Phan Thanh Hải').textContent(), /0931000111.*lan\.sales/);
    assert.equal(await page.locator('.erase-button').count(), 0, 'sales does not erase');
    await shot('trash-desktop');
    await page.getByRole('button', { name: 'Khôi phục Phan Thanh Hải' }).click();
    await page.locator('#notice', { hasText: 'Đã khôi phục khách hàng Phan Thanh Hải.' }).waitFor();
    assert.equal(await trashRow(page, 'Phan Thanh Hải').count(), 0);
    await page.locator('#trash-status', { hasText: 'Thùng rác trống.' }).waitFor();
    await page.getByRole('button', { name: '← Danh sách khách hàng' }).click();
    await page.locator('#customer-rows tr', { hasText: 'Phan Thanh Hải' }).waitFor();
    watch.assertClean();
  } finally {
    await context.close();
  }
});

test('a restore whose phone was taken meanwhile names the customer holding it', TO, async () => {
  const lead = await createLead('Đinh Thị Mai', '0932000222');
  assert.equal((await api(sales, 'DELETE', `/pcustomers/${encodeURIComponent(lead.id)}`)).status, 200);
  const holder = await createLead('Tạ Văn Bình', '0932000222');
  const { context, page, watch, shot } = await signedInPage(USERS.sales.username, PASSWORD, { width: 1280, height: 820 });
  try {
    await page.getByRole('button', { name: 'Thùng rác' }).click();
    await page.getByRole('button', { name: 'Khôi phục Đinh Thị Mai' }).click();
    const banner = page.locator('#banner', { hasText: 'Chưa khôi phục được Đinh Thị Mai' });
    await banner.waitFor();
    assert.match(await banner.textContent(), new RegExp(`0932000222.*Tạ Văn Bình \\(${holder.id}\\)`));
    assert.equal(await trashRow(page, 'Đinh Thị Mai').count(), 1, 'still in the trash');
    await shot('restore-phone-taken');
    watch.assertClean();
  } finally {
    await context.close();
  }
});

test('an admin erases for good after a confirmation (phone width)', TO, async () => {
  const lead = await createLead('Lò Văn Sơn', '0933000333');
  assert.equal((await api(sales, 'DELETE', `/pcustomers/${encodeURIComponent(lead.id)}`)).status, 200);
  const { context, page, watch, shot } = await signedInPage('admin', ADMIN_PASSWORD, { width: 390, height: 844 });
  try {
    await page.getByRole('button', { name: 'Thùng rác' }).click();
    await trashRow(page, 'Lò Văn Sơn').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling at phone width (${width}px)`);
    await shot('trash-phone');
    await page.getByRole('button', { name: 'Xoá vĩnh viễn Lò Văn Sơn' }).click();
    await page.locator('#erase-dialog').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'erase-cancel');
    assert.match(await page.locator('#erase-question').textContent(), /Lò Văn Sơn \(0933000333\).*Không thể hoàn tác/);
    await shot('erase-confirm-phone');
    await page.locator('#erase-confirm').click();
    await page.locator('#notice', { hasText: 'Đã xoá vĩnh viễn khách hàng Lò Văn Sơn.' }).waitFor();
    assert.equal(await trashRow(page, 'Lò Văn Sơn').count(), 0);
    const admin = await signIn(server, 'admin', ADMIN_PASSWORD);
    const trash = await api({ baseUrl: server.baseUrl, headers: () => bearer(admin.accessToken) }, 'GET', '/trash');
    assert.ok(!trash.json.data.some((c) => c.id === lead.id), 'erased on the server');
    watch.assertClean();
  } finally {
    await context.close();
  }
});
