// Swagger UI at /docs and /api-docs in a real browser: it renders every operation of
// /openapi.json from files the binary ships (no other origin is contacted, no CSP violation),
// Authorize takes a bearer token, and "Try it out" works against this server: by hand, and
// after a try-it-out sign-in, which authorizes by itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../api/lib/client.mjs';
import {
  DOCS_CSP, PASSWORD, USERS, skipReason, outputDir, startServerWithUsers, accessToken, launchChromium, watchPage,
  screenshotter,
} from './lib/browser.mjs';

const SKIP = skipReason();
const TO = { timeout: 30_000, skip: SKIP };
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let server;
let browser;
let dir;

before(async () => {
  if (SKIP) return;
  dir = outputDir('docs');
  console.log(`screenshots: ${dir}`);
  server = await startServerWithUsers();
  browser = await launchChromium();
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openDocs(path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const watch = watchPage(page, server.baseUrl);
  const response = await page.goto(`${server.baseUrl}${path}`);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-security-policy'], DOCS_CSP);
  assert.equal(response.headers()['x-frame-options'], 'DENY');
  await page.locator('.opblock').first().waitFor();
  return { context, page, watch };
}

/** Expands an operation, presses "Try it out" and returns its block. */
async function tryOut(page, tag, operationId) {
  const block = page.locator(`#operations-${tag}-${operationId}`);
  await block.locator('.opblock-summary-control').click();
  await block.locator('.try-out__btn').click();
  return block;
}

async function execute(block) {
  await block.locator('.btn.execute').click();
  const status = block.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor();
  return (await status.textContent()).trim();
}

test('/docs renders every operation of the document; Authorize and Try it out work', TO, async () => {
  const { context, page, watch } = await openDocs('/docs');
  try {
    const shot = screenshotter(page, dir);
    const document = (await api({ baseUrl: server.baseUrl, headers: () => ({}) }, 'GET', '/openapi.json')).json;
    const operations = Object.values(document.paths).flatMap((item) => METHODS.filter((m) => item[m]));
    assert.equal(await page.locator('.opblock').count(), operations.length, 'one block per operation');
    await page.locator('.info .title', { hasText: document.info.title }).waitFor();
    await shot('docs');

    const token = await accessToken(server, 'sales');
    await page.locator('button.btn.authorize').click();
    const modal = page.locator('.modal-ux');
    await modal.locator('input').first().fill(token);
    await modal.locator('button.authorize').click();
    await modal.locator('button.btn-done').click();
    await page.locator('button.btn.authorize.locked').waitFor();

    const block = await tryOut(page, 'Customers', 'listCustomers');
    assert.equal(await execute(block), '200');
    assert.match(await block.locator('.curl-command').textContent(), /Authorization: Bearer /);
    await shot('docs-list-customers');
    watch.assertClean();
  } finally {
    await context.close();
  }
});

test('/api-docs: a try-it-out sign-in authorizes the customer routes by itself', TO, async () => {
  const { context, page, watch } = await openDocs('/api-docs');
  try {
    const shot = screenshotter(page, dir);
    const signIn = await tryOut(page, 'Auth', 'signIn');
    const body = signIn.locator('textarea.body-param__text');
    await body.fill(JSON.stringify({ username: USERS.marketing.username, password: PASSWORD }));
    assert.equal(await execute(signIn), '200');
    await page.locator('button.btn.authorize.locked').waitFor();

    // Marketing may read, not write: the second answer comes from the server's policy.
    const list = await tryOut(page, 'Customers', 'listCustomers');
    assert.equal(await execute(list), '200');
    const create = await tryOut(page, 'Customers', 'createCustomer');
    assert.equal(await execute(create), '403');
    await shot('api-docs-forbidden');
    watch.assertClean();
  } finally {
    await context.close();
  }
});
