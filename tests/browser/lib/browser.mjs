// Shared set-up of the browser tests: a pcustomer server with a sales and a marketing user,
// Debian's Chromium driven by playwright-core (never a downloaded browser), screenshots in an
// output folder, and a watch for Content-Security-Policy violations and script errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from '../../api/lib/server.mjs';
import { startAuthServer, addUser, signIn, externalSkipReason } from '../../api/lib/auth.mjs';

// The Content-Security-Policy each page must carry: Swagger UI alone may use inline styles.
export const APP_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
export const DOCS_CSP = APP_CSP.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';");

export const CHROMIUM = process.env.PCUSTOMER_TEST_CHROMIUM || '/usr/bin/chromium';
export const PASSWORD = 'Browser#Pass1';
export const USERS = {
  sales: { username: 'lan.sales', role: 'employee', team: 'sales' },
  marketing: { username: 'minh.mkt', role: 'employee', team: 'marketing' },
};

/** Why the browser tests cannot run here, or false. */
export function skipReason() {
  if (externalSkipReason()) return externalSkipReason();
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (Debian package chromium; scripts/setup.sh installs it)`;
  return false;
}

/** A fresh folder for one test file's screenshots: $PCUSTOMER_TEST_OUTPUT_DIR/<name>. */
export function outputDir(name) {
  const base = process.env.PCUSTOMER_TEST_OUTPUT_DIR
    ? path.resolve(process.env.PCUSTOMER_TEST_OUTPUT_DIR)
    : path.join(repoRoot, 'build', 'test-output', 'browser');
  const dir = path.join(base, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Starts a server (local identity provider) and adds the sales and marketing users. */
export async function startServerWithUsers() {
  const server = await startAuthServer();
  for (const user of Object.values(USERS)) {
    await addUser(server.dataDir, user.username, { role: user.role, team: user.team, password: PASSWORD });
  }
  return server;
}

/** The access token of `who` ('sales' or 'marketing'). */
export async function accessToken(server, who) {
  return (await signIn(server, USERS[who].username, PASSWORD)).accessToken;
}

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-gpu'],
  });
}

/**
 * Records what must never happen on our pages: CSP violations, uncaught script errors, and
 * requests to any other origin. `assertClean()` fails the test when any was seen.
 */
export function watchPage(page, baseUrl) {
  const problems = [];
  const origin = new URL(baseUrl).origin;
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && new URL(url).origin !== origin) problems.push(`request to another origin: ${url}`);
  });
  return {
    problems,
    assertClean() { assert.deepEqual(problems, [], problems.join('\n')); },
  };
}

/** Saves a numbered full-page screenshot; returns its path. */
export function screenshotter(page, dir) {
  let n = 0;
  return async (name) => {
    n += 1;
    const file = path.join(dir, `${String(n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}
