// Sign-in throttle under concurrency: attempts sent at once for one username (or from one
// address) are checked one at a time, so a burst gets no more password checks than the
// throttle allows (5 free failures, then a lock of 1 s, 2 s, ...); the rest are 429 with
// Retry-After. Every test uses users and addresses of its own on a server of this file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeRes, assertError } from './lib/client.mjs';
import {
  externalSkipReason, startAuthServer, addUser, freshAddress, loopbackAliasesUsable, signInRes,
} from './lib/auth.mjs';

const SKIP = externalSkipReason();
const TO = { timeout: 60_000, skip: SKIP };
const PW = 'Burst#Pass12';
const BURST = 60;
const FREE_FAILURES = 5;

let S;
before(async () => { if (!SKIP) S = await startAuthServer(); }, { timeout: 60_000 });
after(async () => { await S?.close(); });

let userSeq = 0;
async function freshUser() {
  const name = `burst-${process.pid}-${++userSeq}`;
  await addUser(S.dataDir, name, { role: 'employee', team: 'sales', password: PW });
  return name;
}

/** Sends all `attempts` ([{username, password, from}]) at once; returns the responses in order. */
async function burst(attempts) {
  const settled = await Promise.allSettled(attempts.map((a) => signInRes(S, a.username, a.password, a.from)));
  const failed = settled.filter((r) => r.status === 'rejected');
  assert.equal(failed.length, 0, `${failed.length} sign-in attempts got no answer, e.g. ${failed[0]?.reason?.message}`);
  return settled.map((r) => r.value);
}

/** Counts by status; checks every answer is 200, 401 or a 429 with Retry-After. */
function tally(responses, ctx) {
  const counts = { 200: 0, 401: 0, 429: 0 };
  for (const res of responses) {
    assert.ok(res.status in counts, `${ctx}: unexpected ${describeRes(res)}`);
    counts[res.status]++;
    if (res.status === 401) assertError(res, 401, 'UNAUTHORIZED');
    if (res.status === 429) {
      assertError(res, 429, 'TOO_MANY_REQUESTS');
      const ra = res.headers.get('retry-after');
      assert.match(ra ?? '', /^[1-9]\d*$/, `${ctx}: 429 with Retry-After ${JSON.stringify(ra)}`);
    }
  }
  return counts;
}

test(`${BURST} wrong passwords for one user from one address, sent at once: at most ${FREE_FAILURES} are checked`, TO, async () => {
  const user = await freshUser();
  const from = await freshAddress();
  const responses = await burst(Array.from({ length: BURST }, (_, i) => ({ username: user, password: `Wrong#Pass${i}`, from })));
  const c = tally(responses, 'one user, one address');
  assert.equal(c[200], 0);
  assert.ok(c[401] <= FREE_FAILURES, `${c[401]} of ${BURST} concurrent wrong passwords were checked (401), ` +
    `at most ${FREE_FAILURES} may be; 429: ${c[429]}`);
  assert.equal(c[401] + c[429], BURST);
});

test(`${BURST} wrong passwords for one user from ${BURST} addresses, sent at once: the username lock holds`, TO, async (t) => {
  if (!(await loopbackAliasesUsable())) {
    assert.fail('needs connections from 127.0.0.x addresses other than 127.0.0.1 (Linux loopback)');
  }
  const user = await freshUser();
  const attempts = [];
  for (let i = 0; i < BURST; i++) attempts.push({ username: user, password: `Wrong#Pass${i}`, from: await freshAddress() });
  const c = tally(await burst(attempts), 'one user, many addresses');
  t.diagnostic(`401: ${c[401]}, 429: ${c[429]}`);
  assert.equal(c[200], 0);
  assert.ok(c[401] <= FREE_FAILURES, `${c[401]} of ${BURST} concurrent wrong passwords were checked (401), ` +
    `at most ${FREE_FAILURES} may be; 429: ${c[429]}`);
  assert.equal(c[401] + c[429], BURST);
});

test(`${BURST} unknown usernames from one address, sent at once: the address lock holds`, TO, async () => {
  const from = await freshAddress();
  const tag = `${process.pid}-${++userSeq}`;
  const attempts = Array.from({ length: BURST }, (_, i) => ({ username: `ghost-${tag}-${i}`, password: PW, from }));
  const c = tally(await burst(attempts), 'many usernames, one address');
  assert.equal(c[200], 0);
  assert.ok(c[401] <= FREE_FAILURES, `${c[401]} of ${BURST} concurrent failures from one address were checked (401), ` +
    `at most ${FREE_FAILURES} may be; 429: ${c[429]}`);
  assert.equal(c[401] + c[429], BURST);
});

test(`after 4 failures, ${BURST - 1} wrong and 1 right password at once: at most ${FREE_FAILURES} checks fail`, TO, async (t) => {
  if (!(await loopbackAliasesUsable())) {
    assert.fail('needs connections from 127.0.0.x addresses other than 127.0.0.1 (Linux loopback)');
  }
  const user = await freshUser();
  for (let i = 1; i <= FREE_FAILURES - 1; i++) {
    const res = await signInRes(S, user, `Early#Wrong${i}`, await freshAddress());
    assertError(res, 401, 'UNAUTHORIZED');
  }
  // The right password in the middle of the burst. Whatever order the server takes them in,
  // the 5th failure locks the user, so only a right password checked before it may succeed;
  // a success clears the user's failures, after which at most 5 more can be checked.
  const right = Math.floor(BURST / 2);
  const attempts = [];
  for (let i = 0; i < BURST; i++) {
    attempts.push({ username: user, password: i === right ? PW : `Wrong#Pass${i}`, from: await freshAddress() });
  }
  const responses = await burst(attempts);
  const c = tally(responses, 'burst with the right password');
  t.diagnostic(`401: ${c[401]}, 429: ${c[429]}, 200: ${c[200]} (right password: ${responses[right].status})`);
  assert.ok(c[200] <= 1, `${c[200]} successes for ${BURST - 1} wrong passwords and 1 right one`);
  if (c[200] === 1) assert.equal(responses[right].status, 200, 'a wrong password succeeded');
  assert.ok(c[401] <= FREE_FAILURES, `${c[401]} of ${BURST} concurrent sign-ins were checked and failed (401), ` +
    `at most ${FREE_FAILURES} may be; 429: ${c[429]}, 200: ${c[200]}`);
  assert.equal(c[401] + c[429] + c[200], BURST);
});
