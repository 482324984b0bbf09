/**
 * `npm run gateway [-- --port N --flavor new-api|new-api-legacy|one-api --tokens N --tokmodel
 * --usage-days N --usage-rows N --no-data-export --error-log]`:
 * starts the simulator with the demo account and prints how to reach it. The first line,
 * `TOKAIFY_GATEWAY_URL=<url>`, is what scripts wait for.
 */
import { readFileSync } from 'node:fs';
import { DEMO, startGateway, type Flavor } from './index';

const FLAVORS: readonly Flavor[] = ['new-api', 'new-api-legacy', 'one-api'];

function usage(problem: string): never {
  process.stderr.write(`${problem}\nusage: simulator [--port N] [--host 127.0.0.1] [--flavor ${FLAVORS.join('|')}] [--tokens N] [--tokmodel] [--tls-key FILE --tls-cert FILE]\n`
    + '                 [--usage-days N --usage-rows N] [--no-data-export] [--error-log]\n');
  process.exit(2);
}

interface Options {
  port: number; host: string; flavor: Flavor; tokens: number; tokmodel: boolean; tlsKey?: string; tlsCert?: string;
  usageDays: number; usageRows: number; dataExport: boolean; errorLog: boolean;
}

function parse(argv: string[]): Options {
  const options: Options = { port: 0, host: '127.0.0.1', flavor: 'new-api', tokens: 0, tokmodel: false, usageDays: 0, usageRows: 0, dataExport: true, errorLog: false };
  const int = (flag: string, value: string | undefined) => {
    if (value === undefined || !/^\d+$/.test(value)) usage(`${flag} needs a whole number`);
    return Number(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--port') options.port = int(flag, value());
    else if (flag === '--tokens') options.tokens = int(flag, value());
    else if (flag === '--host') options.host = value() ?? usage('--host needs an address');
    else if (flag === '--tokmodel') options.tokmodel = true;
    else if (flag === '--usage-days') options.usageDays = int(flag, value());
    else if (flag === '--usage-rows') options.usageRows = int(flag, value());
    else if (flag === '--no-data-export') options.dataExport = false;
    else if (flag === '--error-log') options.errorLog = true;
    else if (flag === '--tls-key') options.tlsKey = value() ?? usage('--tls-key needs a PEM file');
    else if (flag === '--tls-cert') options.tlsCert = value() ?? usage('--tls-cert needs a PEM file');
    else if (flag === '--flavor') {
      const flavor = value();
      if (!FLAVORS.includes(flavor as Flavor)) usage(`unknown flavor ${flavor ?? '(none)'}`);
      options.flavor = flavor as Flavor;
    } else if (flag === '--help' || flag === '-h') usage('Tokaify gateway simulator');
    else usage(`unknown option ${flag}`);
  }
  if (Boolean(options.tlsKey) !== Boolean(options.tlsCert)) usage('--tls-key and --tls-cert go together');
  // Either flag alone seeds a history: 30 days by default, about 100 requests a day by default.
  if (options.usageDays > 0 && options.usageRows === 0) options.usageRows = options.usageDays * 100;
  if (options.usageRows > 0 && options.usageDays === 0) options.usageDays = 30;
  return options;
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const gateway = await startGateway({
    port: options.port, host: options.host, flavor: options.flavor, seedTokens: options.tokens,
    relayErrorStyle: options.tokmodel ? 'tokmodel' : 'new-api',
    dataExport: options.dataExport, errorLog: options.errorLog,
    usageHistory: options.usageRows > 0 ? { days: options.usageDays, rows: options.usageRows } : undefined,
    tls: options.tlsKey && options.tlsCert ? { key: readFileSync(options.tlsKey, 'utf8'), cert: readFileSync(options.tlsCert, 'utf8') } : undefined,
  });
  process.stdout.write([
    `TOKAIFY_GATEWAY_URL=${gateway.url}`,
    `Tokaify gateway simulator (${options.flavor}${options.tokmodel ? ', TokModel errors' : ''}) on ${gateway.url}`,
    `  OpenAI base:    ${gateway.url}/v1`,
    `  Anthropic base: ${gateway.url}`,
    '  Demo account (simulator only):',
    `    user ${DEMO.username}, password ${DEMO.password}`,
    `    user id ${DEMO.userId}, access token ${DEMO.accessToken}`,
    `    API key ${DEMO.key}`,
    `    2FA user ${DEMO.twoFactorUser} (same password), code ${DEMO.twoFactorCode}`,
    `  Tokens: ${gateway.state.tokens.length}. Log rows: ${gateway.state.logs.length}${options.usageRows > 0 ? ` (${options.usageDays} days of history)` : ''}.`
      + ` Data dashboard ${gateway.state.dataExportEnabled ? 'on' : 'off'}, error log ${gateway.state.errorLogEnabled ? 'on' : 'off'}. Ctrl-C stops it.`,
    '',
  ].join('\n'));
  const stop = () => void gateway.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`the simulator could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
