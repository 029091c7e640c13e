// The users the auth test files (auth-*.test.mjs) add to the servers they start: one of each
// role/team pair, so every file names the same accounts and the same password.
export const PW = 'Matrix#Pass1';
export const USERS = {
  'emp-mkt': { role: 'employee', team: 'marketing' },
  'emp-sales': { role: 'employee', team: 'sales' },
  'adm-mkt': { role: 'admin', team: 'marketing' },
  'adm-sales': { role: 'admin', team: 'sales' },
};
