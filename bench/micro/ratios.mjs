// Prints Google Benchmark's JSON output as a table: the median of each benchmark and its
// ratio to "<family>/baseline" of the same run (how many baselines one call costs).
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const medians = new Map();
for (const run of report.benchmarks) {
  if (run.aggregate_name !== 'median') continue;
  medians.set(run.run_name, { ns: run.real_time, unit: run.time_unit });
}
const toNs = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const rows = [['benchmark', 'median', 'x baseline']];
for (const [name, { ns, unit }] of medians) {
  const time = ns * toNs[unit];
  const baseline = medians.get(`${name.split('/')[0]}/baseline`);
  const ratio = baseline ? (time / (baseline.ns * toNs[baseline.unit])).toFixed(2) : 'no baseline';
  rows.push([name, time >= 1e3 ? `${(time / 1e3).toFixed(2)} us` : `${time.toFixed(0)} ns`, ratio]);
}
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
console.log(`\n${report.context.host_name}, ${report.context.num_cpus} CPUs, ${report.context.date}`);
