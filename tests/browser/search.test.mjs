// Finding leads on the lead manager page (/app/) in a real browser: the search box finds by
// name without tone marks and by phone digits as you type, marks what matched, and shows only
// the latest answer; the filters narrow the list (a refused combination is explained beside
// its field); the column headers sort in Vietnamese order; the count shows; the query lives
// in the address bar (reload keeps it, Back restores the one before); all of it works from
// the keyboard and at phone width. A screenshot of each step goes to the output folder
// printed at the start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, describeRes } from '../api/lib/client.mjs';
import { bearer } from '../api/lib/auth.mjs';
import {
  PASSWORD, USERS, skipReason, outputDir, startServerWithUsers, accessToken, launchChromium, watchPage, screenshotter,
} from './lib/browser.mjs';

const SKIP = skipReason();
const TO = { timeout: 30_000, skip: SKIP };
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

// In creation order (the default sort).
const LEADS = [
  { fullName: 'Đặng Thu Thảo', phone: '0912345678', age: 30, productCode: 'home_loan' },
  { fullName: 'Dương Văn Dũng', phone: '0987001122', age: 45, productCode: 'book' },
  { fullName: 'Nguyễn Thị Thu', phone: '01621234567', age: 22, productCode: 'book' },  // stored as 0321234567
  { fullName: 'Đỗ Minh Anh', phone: '0901234999', age: 38, productCode: 'household_tool' },
  { fullName: 'Trần Thủy Tiên', phone: '0934567890', age: 27, productCode: 'home_loan' },
  { fullName: 'Lê An', phone: '0976543210', age: 60, productCode: 'book' },
  { fullName: 'Bùi Lan Hương', phone: '0911222333', age: 33, productCode: 'household_tool' },
];
const ALL = LEADS.map((lead) => lead.fullName);
// Vietnamese alphabetical order: D before Đ, and "Đặng" before "Đỗ".
const BY_NAME = ['Bùi Lan Hương', 'Dương Văn Dũng', 'Đặng Thu Thảo', 'Đỗ Minh Anh', 'Lê An', 'Nguyễn Thị Thu',
  'Trần Thủy Tiên'];

let server;
let browser;
let context;
let page;
let watch;
let shot;
let dir;
let salesApi;

before(async () => {
  if (SKIP) return;
  dir = outputDir('search');
  console.log(`screenshots: ${dir}`);
  server = await startServerWithUsers();
  const token = await accessToken(server, 'sales');
  salesApi = { baseUrl: server.baseUrl, headers: () => bearer(token) };
  for (const body of LEADS) {
    const res = await api(salesApi, 'POST', '/pcustomers', { body });
    assert.equal(res.status, 201, describeRes(res));
  }
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'vi-VN', timezoneId: TIME_ZONE });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  watch = watchPage(page, server.baseUrl);
  shot = screenshotter(page, dir);
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  await server?.close();
});

async function signInAs(p, who) {
  await p.getByLabel(/Tên đăng nhập|Username/).fill(USERS[who].username);
  await p.getByLabel(/Mật khẩu|Password/).fill(PASSWORD);
  await p.getByLabel(/Mật khẩu|Password/).press('Enter');
  await p.locator('#list-view').waitFor({ state: 'visible' });
}

// The page with no query (the session stays in the tab), once its list has loaded.
async function openFresh(p = page) {
  await p.goto(`${server.baseUrl}/app/`);
  await waitForNames(ALL, p);
}

const names = (p = page) => p.locator('#customer-rows .cell-name').allTextContents();

/** Waits until the table, loaded, lists exactly `expected` in that order. */
async function waitForNames(expected, p = page) {
  try {
    await p.waitForFunction((want) => {
      if (document.getElementById('customer-table').getAttribute('aria-busy') !== 'false') return false;
      const got = [...document.querySelectorAll('#customer-rows .cell-name')].map((td) => td.textContent);
      return JSON.stringify(got) === JSON.stringify(want);
    }, expected, { timeout: 5_000 });
  } catch (error) {
    assert.deepEqual(await names(p), expected, 'the rows shown');
    throw error;
  }
}

const marks = (locator) => locator.locator('mark').allTextContents();
const rowOf = (name) => page.locator('#customer-rows tr', { hasText: name });
const searchBox = () => page.getByRole('searchbox', { name: 'Tìm kiếm' });
// A field of the search form (the create dialog has a "Mã sản phẩm" too).
const filter = (label, p = page) => p.locator('#search-form').getByLabel(label, { exact: true });

/** The `q` of the list requests the page sends, in order. */
function recordListQueries(p = page) {
  const seen = [];
  const listener = (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/pcustomers') seen.push(url.searchParams);
  };
  p.on('request', listener);
  return { seen, stop: () => p.off('request', listener) };
}

test('sales signs in and sees every lead, the total and the search box', TO, async () => {
  await page.goto(`${server.baseUrl}/app/`);
  await signInAs(page, 'sales');
  await waitForNames(ALL);
  await page.locator('#result-count', { hasText: 'Tổng cộng 7 khách hàng' }).waitFor();
  assert.equal(await searchBox().getAttribute('placeholder'), 'Tên hoặc số điện thoại');
  assert.equal(await page.locator('th[data-sort-column="createAt"]').getAttribute('aria-sort'), 'ascending');
  assert.equal(await page.locator('th[data-sort-column="fullName"]').getAttribute('aria-sort'), null);
  assert.equal(await page.locator('#search-clear').isVisible(), false, 'no clear button while the box is empty');
});

test('typing a name without tone marks finds it (as you type, one request after a pause)', TO, async () => {
  await openFresh();
  const requests = recordListQueries();
  await searchBox().pressSequentially('dang thu', { delay: 40 });
  await waitForNames(['Đặng Thu Thảo']);
  requests.stop();
  // Requests go after a pause, not per key (the exact number depends on the machine's pace).
  assert.ok(requests.seen.length < 'dang thu'.length, `${requests.seen.length} requests for 8 keys`);
  assert.equal(requests.seen.at(-1).get('q'), 'dang thu');
  assert.equal(requests.seen.at(-1).get('withTotal'), 'true');
  await page.locator('#result-count', { hasText: 'Tìm thấy 1 khách hàng' }).waitFor();
  assert.deepEqual(await marks(rowOf('Đặng Thu Thảo').locator('.cell-name')), ['Đặng', 'Thu']);
  assert.ok(await page.locator('#search-clear').isVisible(), 'the clear button shows');

  // "an" starts "An" and "Anh", not "Lan".
  await searchBox().fill('AN');
  await waitForNames(['Đỗ Minh Anh', 'Lê An']);
  await page.locator('#search-clear').click();
  await waitForNames(ALL);
  assert.equal(await searchBox().inputValue(), '');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q', 'focus back in the box');
});

test('the highlight covers the matched letters, tone marks included', TO, async () => {
  await openFresh();
  await searchBox().fill('thu');
  await searchBox().press('Enter');
  await waitForNames(['Đặng Thu Thảo', 'Nguyễn Thị Thu', 'Trần Thủy Tiên']);
  await page.locator('#result-count', { hasText: 'Tìm thấy 3 khách hàng' }).waitFor();
  const tien = rowOf('Trần Thủy Tiên').locator('.cell-name');
  assert.deepEqual(await marks(tien), ['Thủ'], '"thu" marks "Thủ" of "Thủy", with its hook');
  assert.equal(await tien.textContent(), 'Trần Thủy Tiên', 'the name reads the same');
  assert.deepEqual(await marks(rowOf('Đặng Thu Thảo').locator('.cell-name')), ['Thu'], '"Thảo" is not marked');
  assert.deepEqual(await marks(rowOf('Nguyễn Thị Thu').locator('.cell-name')), ['Thu']);
  assert.equal(await page.locator('#customer-rows .cell-phone mark').count(), 0, 'no phone marked for a name search');
  await shot('highlight-name');
});

test('digits of a phone find it and are marked; a whole or pre-2018 number finds its lead', TO, async () => {
  await openFresh();
  await searchBox().fill('345 678');
  await waitForNames(['Đặng Thu Thảo', 'Trần Thủy Tiên']);
  assert.deepEqual(await marks(rowOf('Đặng Thu Thảo').locator('.cell-phone')), ['345678']);
  assert.equal(await rowOf('Trần Thủy Tiên').locator('.cell-phone').textContent(), '0934567890');
  assert.deepEqual(await marks(rowOf('Trần Thủy Tiên').locator('.cell-phone')), ['345678']);
  assert.equal(await page.locator('#customer-rows .cell-name mark').count(), 0, 'no name marked for a phone search');
  await shot('highlight-phone');

  await searchBox().fill('+84 912 345 678');
  await waitForNames(['Đặng Thu Thảo']);
  assert.deepEqual(await marks(rowOf('Đặng Thu Thảo').locator('.cell-phone')), ['0912345678']);
  await searchBox().fill('0162 123 4567');
  await waitForNames(['Nguyễn Thị Thu']);
  assert.deepEqual(await marks(rowOf('Nguyễn Thị Thu').locator('.cell-phone')), ['0321234567']);
});

test('the latest answer wins: a slow answer to an older query never replaces a newer one', TO, async () => {
  await openFresh();
  let slowSent;
  const sent = new Promise((resolve) => { slowSent = resolve; });
  const slow = async (route) => {
    if (new URL(route.request().url()).searchParams.get('q') === 'duong') {
      slowSent();
      try {
        const response = await route.fetch();
        await new Promise((r) => setTimeout(r, 1500));
        await route.fulfill({ response });
      } catch { /* the page gave up on it (aborted): just as good */ }
      return;
    }
    await route.continue();
  };
  const listRequests = (url) => url.pathname === '/pcustomers';
  await page.route(listRequests, slow);
  try {
    await searchBox().fill('duong');
    await sent;  // the slow query went out
    assert.equal(await page.locator('#customer-table').getAttribute('aria-busy'), 'true');
    await searchBox().fill('tran');
    await waitForNames(['Trần Thủy Tiên']);
    // Well past the slow answer: the rows still answer "tran".
    await page.waitForTimeout(1800);
    assert.deepEqual(await names(), ['Trần Thủy Tiên']);
    assert.equal(await page.locator('#result-count').textContent(), 'Tìm thấy 1 khách hàng');
    assert.deepEqual(await marks(rowOf('Trần Thủy Tiên').locator('.cell-name')), ['Trần']);
  } finally {
    await page.unroute(listRequests, slow);
  }
});

test('filters narrow the list: product codes (OR), an age range, created dates', TO, async () => {
  await openFresh();
  const requests = recordListQueries();
  await filter('Mã sản phẩm').fill('book, Household_tool');
  await waitForNames(['Dương Văn Dũng', 'Nguyễn Thị Thu', 'Đỗ Minh Anh', 'Lê An', 'Bùi Lan Hương']);
  assert.deepEqual(requests.seen.at(-1).getAll('productCode'), ['book', 'household_tool']);
  await filter('Tuổi từ').fill('30');
  await filter('Tuổi đến').fill('40');
  await waitForNames(['Đỗ Minh Anh', 'Bùi Lan Hương']);
  await page.locator('#result-count', { hasText: 'Tìm thấy 2 khách hàng' }).waitFor();
  assert.equal(await page.locator('#filters-toggle-text').textContent(), 'Bộ lọc (3)');

  // Dates are the browser's days; "to" includes its day, so the API's exclusive createdTo is
  // the start of the next day.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
  const startOfToday = Date.parse(`${today}T00:00:00+07:00`);
  const yesterday = new Date(startOfToday - 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
  const dated = page.waitForRequest((r) => {
    const params = new URL(r.url()).searchParams;
    return params.has('createdFrom') && params.has('createdTo');
  });
  await filter('Ngày tạo từ').fill(today);
  await filter('Ngày tạo đến').fill(today);
  const last = new URL((await dated).url()).searchParams;
  await page.waitForFunction(() => document.getElementById('customer-table').getAttribute('aria-busy') === 'false');
  await waitForNames(['Đỗ Minh Anh', 'Bùi Lan Hương']);
  assert.equal(last.get('createdFrom'), new Date(startOfToday).toISOString());
  assert.equal(last.get('createdTo'), new Date(startOfToday + 86_400_000).toISOString());
  await shot('filters');
  await filter('Ngày tạo đến').fill(yesterday);
  await page.locator('#filter-createdTo-error', { hasText: '“Ngày tạo đến” không được trước “Ngày tạo từ”.' }).waitFor();
  await filter('Ngày tạo từ').fill('');
  await waitForNames([]);
  await page.locator('#list-status', { hasText: 'Không tìm thấy khách hàng nào phù hợp.' }).waitFor();
  requests.stop();

  await page.getByRole('button', { name: 'Xoá bộ lọc' }).click();
  await waitForNames(ALL);
  await page.locator('#result-count', { hasText: 'Tổng cộng 7 khách hàng' }).waitFor();
  assert.equal(await filter('Mã sản phẩm').inputValue(), '');
});

test('a combination the server refuses is explained beside the field it names, in Vietnamese', TO, async () => {
  await openFresh();
  await filter('Tuổi từ').fill('50');
  await filter('Tuổi đến').fill('20');
  const error = page.locator('.field:has(#filter-ageMin) #filter-ageMin-error');
  await error.waitFor({ state: 'visible' });
  assert.equal(await error.textContent(), '“Tuổi từ” không được lớn hơn “Tuổi đến”.');
  assert.equal(await filter('Tuổi từ').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#filter-ageMax-error').textContent(), '');
  await waitForNames([]);
  await page.locator('#list-status', { hasText: 'Hãy sửa ô được đánh dấu để xem kết quả.' }).waitFor();
  assert.ok(await page.locator('#banner').isHidden(), 'no banner: the field says it');
  await shot('age-range-refused');

  await filter('Mã sản phẩm').fill('home-loan');
  await page.locator('#filter-productCode-error', { hasText: 'Mã sản phẩm chỉ gồm chữ thường' }).waitFor();
  await filter('Mã sản phẩm').fill('');
  await filter('Tuổi đến').fill('60');
  await waitForNames(['Lê An']);
  assert.equal(await error.textContent(), '');
  assert.equal(await filter('Tuổi từ').getAttribute('aria-invalid'), null);
});

test('a column header sorts in Vietnamese order and flips direction, with aria-sort', TO, async () => {
  await openFresh();
  const nameHeader = page.locator('th[data-sort-column="fullName"]');
  await page.getByRole('button', { name: 'Họ và tên' }).click();
  await waitForNames(BY_NAME);
  assert.equal(await nameHeader.getAttribute('aria-sort'), 'ascending');
  assert.equal(await page.locator('th[data-sort-column="createAt"]').getAttribute('aria-sort'), null);
  assert.equal(await nameHeader.locator('.sort-arrow').textContent(), '▲');
  await shot('sorted-by-name');
  await page.getByRole('button', { name: 'Họ và tên' }).click();
  await waitForNames([...BY_NAME].reverse());
  assert.equal(await nameHeader.getAttribute('aria-sort'), 'descending');
  assert.equal(await nameHeader.locator('.sort-arrow').textContent(), '▼');

  await page.getByRole('button', { name: 'Tuổi' }).click();
  await waitForNames([...LEADS].sort((a, b) => a.age - b.age).map((lead) => lead.fullName));
  assert.equal(await page.locator('th[data-sort-column="age"]').getAttribute('aria-sort'), 'ascending');
  assert.equal(await nameHeader.getAttribute('aria-sort'), null);
  await page.getByRole('button', { name: 'Ngày tạo' }).click();
  await waitForNames(ALL);
  assert.equal(await page.locator('th[data-sort-column="createAt"]').getAttribute('aria-sort'), 'ascending');
  await page.getByRole('button', { name: 'Ngày tạo' }).click();
  await waitForNames([...ALL].reverse());
  assert.equal(await page.locator('th[data-sort-column="createAt"]').getAttribute('aria-sort'), 'descending');
});

test('the count follows the language; the highlight stays', TO, async () => {
  await openFresh();
  await searchBox().fill('d');
  await waitForNames(['Đặng Thu Thảo', 'Dương Văn Dũng', 'Đỗ Minh Anh']);
  await page.locator('#result-count', { hasText: 'Tìm thấy 3 khách hàng' }).waitFor();
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.locator('#result-count', { hasText: '3 customers found' }).waitFor();
  assert.equal(await page.getByRole('searchbox', { name: 'Search' }).getAttribute('placeholder'),
    'Name or phone number');
  assert.deepEqual(await marks(rowOf('Đỗ Minh Anh').locator('.cell-name')), ['Đ'], 'the highlight stays');
  assert.deepEqual(await marks(rowOf('Dương Văn Dũng').locator('.cell-name')), ['D', 'D']);
  await shot('english-count');
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  await page.locator('#result-count', { hasText: '7 customers in total' }).waitFor();
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
  await page.locator('#result-count', { hasText: 'Tổng cộng 7 khách hàng' }).waitFor();
});

test('paging: the count is of all matches, and a new query starts from its first page', TO, async () => {
  const extra = [];
  try {
    for (let i = 0; i < 9; i++) {
      const res = await api(salesApi, 'POST', '/pcustomers', {
        body: { fullName: `Đinh Thị ${String.fromCharCode(65 + i)}`, phone: `09550000${String(i).padStart(2, '0')}`, age: 50,
          productCode: 'book' },
      });
      assert.equal(res.status, 201, describeRes(res));
      extra.push(res.json.data.id);
    }
    await page.goto(`${server.baseUrl}/app/?q=d`);
    await page.locator('#page-info', { hasText: 'Trang 1 · 10 khách hàng' }).waitFor();
    await page.locator('#result-count', { hasText: 'Tìm thấy 12 khách hàng' }).waitFor();
    await page.getByRole('button', { name: 'Trang sau →' }).click();
    await page.locator('#page-info', { hasText: 'Trang 2 · 2 khách hàng' }).waitFor();
    await page.locator('#result-count', { hasText: 'Tìm thấy 12 khách hàng' }).waitFor();
    assert.equal(new URL(page.url()).search, '?q=d', 'the page itself is not in the address bar');
    await page.getByRole('button', { name: 'Họ và tên' }).click();
    await page.locator('#page-info', { hasText: 'Trang 1 · 10 khách hàng' }).waitFor();
    assert.deepEqual((await names()).slice(0, 3), ['Dương Văn Dũng', 'Đặng Thu Thảo', 'Đinh Thị A']);
    await page.getByRole('button', { name: 'Trang sau →' }).click();
    await waitForNames(['Đinh Thị I', 'Đỗ Minh Anh']);
    await searchBox().fill('dang');
    await waitForNames(['Đặng Thu Thảo']);
    await page.locator('#page-info', { hasText: 'Trang 1 · 1 khách hàng' }).waitFor();
    assert.ok(await page.locator('#prev-page').isDisabled());
  } finally {
    for (const id of extra) await api(salesApi, 'DELETE', `/pcustomers/${encodeURIComponent(id)}`);
  }
});

test('the address bar holds the query: a reload keeps it, Back restores the one before', TO, async () => {
  await openFresh();
  await searchBox().fill('thu');
  await waitForNames(['Đặng Thu Thảo', 'Nguyễn Thị Thu', 'Trần Thủy Tiên']);
  assert.equal(new URL(page.url()).search, '?q=thu');
  await page.getByRole('button', { name: 'Tuổi' }).click();
  await waitForNames(['Nguyễn Thị Thu', 'Trần Thủy Tiên', 'Đặng Thu Thảo']);  // 22, 27, 30
  await filter('Tuổi từ').fill('25');
  await waitForNames(['Trần Thủy Tiên', 'Đặng Thu Thảo']);
  await filter('Tuổi từ').press('Enter');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('q'), 'thu');
  assert.equal(url.searchParams.get('sort'), 'age');
  assert.equal(url.searchParams.get('ageMin'), '25');

  await page.reload();
  await waitForNames(['Trần Thủy Tiên', 'Đặng Thu Thảo']);
  assert.equal(await searchBox().inputValue(), 'thu');
  assert.equal(await filter('Tuổi từ').inputValue(), '25');
  assert.equal(await page.locator('th[data-sort-column="age"]').getAttribute('aria-sort'), 'ascending');
  await shot('reloaded');

  await page.goBack();
  await waitForNames(['Nguyễn Thị Thu', 'Trần Thủy Tiên', 'Đặng Thu Thảo']);
  assert.equal(await filter('Tuổi từ').inputValue(), '');
  assert.equal(new URL(page.url()).search, '?q=thu&sort=age');
  await page.goBack();
  await waitForNames(['Đặng Thu Thảo', 'Nguyễn Thị Thu', 'Trần Thủy Tiên']);
  assert.equal(await page.locator('th[data-sort-column="createAt"]').getAttribute('aria-sort'), 'ascending');
  await page.goBack();
  await waitForNames(ALL);
  assert.equal(await searchBox().inputValue(), '');
  await page.goForward();
  await waitForNames(['Đặng Thu Thảo', 'Nguyễn Thị Thu', 'Trần Thủy Tiên']);
  assert.equal(await searchBox().inputValue(), 'thu');
});

test('keyboard only: Tab to the search box, type, Tab to a sort header, Enter and Space sort', TO, async () => {
  await openFresh();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const focused = () => page.evaluate(() => document.activeElement.id || document.activeElement.className);
  for (let i = 0; i < 20 && (await focused()) !== 'search-q'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'search-q', 'Tab reaches the search box');
  await page.keyboard.type('an');
  await page.keyboard.press('Enter');
  await waitForNames(['Đỗ Minh Anh', 'Lê An']);
  const onNameHeader = () => page.evaluate(() =>
    document.activeElement.closest('th')?.getAttribute('data-sort-column') === 'fullName');
  for (let i = 0; i < 30 && !(await onNameHeader()); i++) await page.keyboard.press('Tab');
  assert.ok(await onNameHeader(), 'Tab reaches the name header');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focus is visible');
  await shot('keyboard-focus');
  await page.keyboard.press('Enter');
  await waitForNames(['Đỗ Minh Anh', 'Lê An']);
  assert.equal(await page.locator('th[data-sort-column="fullName"]').getAttribute('aria-sort'), 'ascending');
  await page.keyboard.press('Space');
  await waitForNames(['Lê An', 'Đỗ Minh Anh']);
  assert.equal(await page.locator('th[data-sort-column="fullName"]').getAttribute('aria-sort'), 'descending');
  assert.ok(await onNameHeader(), 'the focus stays on the header');
  watch.assertClean();
});

test('desktop screenshot: search with results and highlights', TO, async () => {
  await page.goto(`${server.baseUrl}/app/?q=thu&productCode=home_loan&productCode=book&sort=fullName`);
  await waitForNames(['Đặng Thu Thảo', 'Nguyễn Thị Thu', 'Trần Thủy Tiên']);
  await page.locator('#result-count', { hasText: 'Tìm thấy 3 khách hàng' }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 1280, `no horizontal scrolling (${width}px)`);
  await shot('desktop-search');
  watch.assertClean();
});

test('phone width: marketing searches, the filters fold behind a toggle, nothing overflows', TO, async () => {
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 }, locale: 'vi-VN', timezoneId: TIME_ZONE, hasTouch: true, isMobile: true,
  });
  try {
    const p = await phone.newPage();
    p.setDefaultTimeout(10_000);
    const phoneWatch = watchPage(p, server.baseUrl);
    const phoneShot = screenshotter(p, outputDir('search-phone'));
    await p.goto(`${server.baseUrl}/app/`);
    await signInAs(p, 'marketing');
    await waitForNames(ALL, p);
    const overflow = () => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, `no horizontal scrolling (${await overflow()}px too wide)`);
    const toggle = p.locator('#filters-toggle');
    assert.equal((await toggle.textContent()).trim(), 'Bộ lọc');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await filter('Tuổi từ', p).isVisible(), false, 'the filters are folded');

    await p.getByRole('searchbox', { name: 'Tìm kiếm' }).fill('dang thu');
    await waitForNames(['Đặng Thu Thảo'], p);
    assert.deepEqual(await p.locator('#customer-rows mark').allTextContents(), ['Đặng', 'Thu']);
    // The name reads as one piece in its card: "Thu" follows "Đặng " on the same line.
    const [dang, thu] = await Promise.all([0, 1].map((i) => p.locator('#customer-rows mark').nth(i).boundingBox()));
    assert.equal(Math.round(thu.y), Math.round(dang.y));
    assert.ok(thu.x - (dang.x + dang.width) < 12, `one space between the words (${thu.x - dang.x - dang.width}px)`);
    assert.ok((await overflow()) <= 0, 'no horizontal scrolling with results');
    await phoneShot('phone-search');

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await p.getByRole('searchbox', { name: 'Tìm kiếm' }).fill('');
    await filter('Sắp xếp theo', p).selectOption('fullName');
    await waitForNames(BY_NAME, p);
    await filter('Tuổi từ', p).fill('30');
    await waitForNames(['Bùi Lan Hương', 'Dương Văn Dũng', 'Đặng Thu Thảo', 'Đỗ Minh Anh', 'Lê An'], p);
    assert.ok((await overflow()) <= 0, 'no horizontal scrolling with the filters open');
    const box = await p.getByRole('searchbox', { name: 'Tìm kiếm' }).boundingBox();
    const ageTo = await filter('Tuổi đến', p).boundingBox();
    assert.ok(ageTo.y > box.y + box.height, 'the filters stack below the search box');
    await phoneShot('phone-filters');
    phoneWatch.assertClean();
  } finally {
    await phone.close();
  }
});
