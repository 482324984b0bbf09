// A user behind a corporate proxy, with a gateway behind a private CA, configured the way VS Code users do
// it: HTTPS_PROXY / NO_PROXY in the environment VS Code starts with, the CA in NODE_EXTRA_CA_CERTS and
// http.systemCertificates off (with it on, VS Code checks against Node's roots plus the system store
// only: see README, "Proxies and certificates"). Three https gateways on loopback addresses the proxy
// resolver does not bypass by name (it bypasses only localhost, 127.0.0.1 and ::1):
//   A 127.0.0.2, CA-signed: signed in through the proxy (the demo's auto sign-in)
//   B 127.0.0.3, CA-signed, listed in NO_PROXY: reached directly
//   C 127.0.0.2, signed by a CA nobody configured: refused, in words that say it is the certificate
import { execFileSync } from 'node:child_process';
import https from 'node:https';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO, pickItem, runCommand, startSimulator, tempDir, toastTexts, typeInput, waitForQuickInput } from '../host/codeserver.mjs';
import { DEMO, addGatewayWithAccessToken } from './flows.mjs';

const openssl = (...args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** A CA, and a leaf for `ips` signed by it, as PEM files in `dir`. */
function makeCa(dir, name, ips) {
  const file = (ext) => path.join(dir, `${name}.${ext}`);
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=Tokaify test CA ${name}`,
    '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=gateway.test', '-keyout', file('key'), '-out', file('csr'));
  fs.writeFileSync(file('ext'), `subjectAltName=${ips.map((ip) => `IP:${ip}`).join(',')}\nbasicConstraints=CA:FALSE\n`);
  openssl('x509', '-req', '-in', file('csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('ext'), '-out', file('pem'));
  return { ca: file('ca.pem'), key: file('key'), cert: file('pem') };
}

const tlsGateway = (host, { key, cert }) => startSimulator({ args: ['--host', host, '--tls-key', key, '--tls-cert', cert] });
const hostPort = (url) => new URL(url).host;
// The test process reads the simulators' request logs itself, trusting the two test CAs for that alone.
let testCas = [];
function requestsTo(url) {
  return new Promise((resolve, reject) => {
    const request = https.request(`${url}/__simulator/requests`, { method: 'POST', ca: testCas }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => resolve(JSON.parse(body).requests));
    });
    request.once('error', reject).end('{}');
  });
}

export async function setup() {
  const require = createRequire(import.meta.url);
  const { startLoggingProxy } = require(path.join(REPO, 'dist/test/loggingProxy.js'));
  const dir = tempDir('certs');
  const trusted = makeCa(dir, 'trusted', ['127.0.0.2', '127.0.0.3']);
  const stranger = makeCa(dir, 'stranger', ['127.0.0.2']);
  testCas = [fs.readFileSync(trusted.ca, 'utf8'), fs.readFileSync(stranger.ca, 'utf8')];
  const proxy = await startLoggingProxy();
  const a = await tlsGateway('127.0.0.2', trusted);
  const b = await tlsGateway('127.0.0.3', trusted);
  const c = await tlsGateway('127.0.0.2', stranger);
  return {
    proxy, a, b, c,
    env: {
      HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.3', NODE_EXTRA_CA_CERTS: trusted.ca,
      TOKAIFY_AUTO_SIGNIN_URL: a.url, TOKAIFY_AUTO_SIGNIN_USER_ID: DEMO.userId, TOKAIFY_AUTO_SIGNIN_ACCESS_TOKEN: DEMO.accessToken,
    },
    settings: { 'http.systemCertificates': false },
    teardown: async () => {
      await Promise.all([a.stop(), b.stop(), c.stop(), proxy.close()]);
    },
  };
}

export default async function network({ page, check, shot, setup: { proxy, a, b, c } }) {
  await check('HTTPS_PROXY: signed in to a private-CA https gateway through the proxy, and the status bar shows its balance', async () => {
    await page.locator('.statusbar-item', { hasText: /Tokaify: \$10\.00/ }).first().waitFor({ timeout: 90_000 });
    if (!proxy.targets().includes(hostPort(a.url))) throw new Error(`the proxy saw ${JSON.stringify(proxy.targets())}, not ${hostPort(a.url)}`);
    const seen = (await requestsTo(a.url)).map((r) => r.path);
    if (!seen.includes('/api/user/self')) throw new Error(`gateway A answered ${JSON.stringify(seen)}`);
    await shot('1-through-proxy');
  });

  await check('NO_PROXY: a gateway it lists is reached directly, and sign-in works', async () => {
    await addGatewayWithAccessToken(page, b.url);
    await page.locator('.notification-toast', { hasText: `Signed in to ${hostPort(b.url)}` }).first().waitFor({ timeout: 30_000 });
    if (proxy.targets().includes(hostPort(b.url))) throw new Error(`the proxy saw ${hostPort(b.url)}, which NO_PROXY lists`);
    const seen = (await requestsTo(b.url)).map((r) => r.path);
    if (!seen.includes('/api/user/self')) throw new Error(`gateway B answered ${JSON.stringify(seen)}`);
    await shot('2-no-proxy');
  });

  await check('a certificate from a CA the user did not configure is refused, and the message says it is the certificate', async () => {
    // The address is checked before any credential is asked for: the refusal comes right after it.
    await runCommand(page, 'Tokaify: Add Gateway');
    await waitForQuickInput(page, 'Add Gateway', { items: ['Custom URL…'] });
    await pickItem(page, 'Custom URL…');
    await waitForQuickInput(page, 'Gateway URL');
    await typeInput(page, c.url);
    const toast = page.locator('.notification-toast', { hasText: new RegExp(`${hostPort(c.url).replace(/\./g, '\\.')}.*TLS certificate`) }).first();
    await toast.waitFor({ timeout: 30_000 }).catch(async () => {
      throw new Error(`no notification about the certificate; on screen: ${JSON.stringify(await toastTexts(page))}`);
    });
    if ((await requestsTo(c.url)).some((r) => r.path.startsWith('/api/'))) throw new Error('gateway C answered an API request over an untrusted connection');
    await shot('3-unknown-ca');
  });
}
