// Header hook for PCUSTOMER_TEST_HEADERS_MODULE: signs in with the local identity provider and
// returns a bearer access token. User: PCUSTOMER_TEST_USERNAME (default admin); password:
// PCUSTOMER_TEST_PASSWORD, else PCUSTOMER_ADMIN_PASSWORD from PCUSTOMER_TEST_SERVER_ENV or the
// environment.
export default async function headers(baseUrl) {
  let serverEnv = {};
  try { serverEnv = JSON.parse(process.env.PCUSTOMER_TEST_SERVER_ENV || '{}'); } catch { /* ignore */ }
  const username = process.env.PCUSTOMER_TEST_USERNAME || 'admin';
  const password = process.env.PCUSTOMER_TEST_PASSWORD || serverEnv.PCUSTOMER_ADMIN_PASSWORD || process.env.PCUSTOMER_ADMIN_PASSWORD;
  if (!password) throw new Error('local-admin hook: set PCUSTOMER_TEST_PASSWORD or PCUSTOMER_ADMIN_PASSWORD');
  const res = await fetch(`${baseUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`local-admin hook: sign-in as ${username} gave HTTP ${res.status} ${text.slice(0, 300)}`);
  const token = JSON.parse(text)?.data?.auth?.accessToken;
  if (!token) throw new Error(`local-admin hook: no accessToken in ${text.slice(0, 300)}`);
  return { authorization: `Bearer ${token}` };
}
