/** `npm run bench`: prints measurements as a table and writes bench/results/latest.json. */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { benchActivation } from './activation.bench';
import { benchFirstBalance, benchStatus } from './status.bench';
import { benchTokens } from './tokens.bench';
import { benchUsage } from './usage.bench';

async function main(): Promise<void> {
  const results: Record<string, Record<string, string | number>> = {};
  results['bundle'] = {
    'dist/extension.js KB (startup, as built)': Math.round(statSync('dist/extension.js').size / 1024),
    'dist/status.js KB (first balance check, as built)': Math.round(statSync('dist/status.js').size / 1024),
    'dist/main.js KB (main, as built)': Math.round(statSync('dist/main.js').size / 1024),
  };
  results['activation, our code only (inert vscode)'] = benchActivation();
  results['token list, 10,000 tokens'] = await benchTokens(Number(process.env.BENCH_TOKENS ?? 10_000));
  results['time from the item appearing to a fresh balance, gateway latency subtracted'] = await benchFirstBalance();
  results['status bar and verify'] = await benchStatus();
  results['usage, 30 days of 100,000 log rows'] = await benchUsage(Number(process.env.BENCH_USAGE_ROWS ?? 100_000));
  for (const [section, rows] of Object.entries(results)) {
    console.log(`\n${section}`);
    for (const [name, value] of Object.entries(rows)) console.log(`  ${name.padEnd(52)} ${value}`);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify({ when: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
}

// activate() in the activation bench leaves the status bar's timers behind: exit when done.
main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
