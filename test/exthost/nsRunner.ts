/**
 * Runs one command inside the loopback-only network namespace the extension-host tests put it in, next to
 * a fresh gateway simulator on the same port as the test's own (the demo state is deterministic, so the
 * key Configure wrote is valid there too). The command's output and exit code pass through unchanged, so
 * the product's own spawner reads them; what the simulator's relay saw is appended to a file as one JSON
 * line. Usage (see realAgentHost.ts): node nsRunner.js <port> <relay-log> -- <command> [args…]
 */
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import { startGateway } from '../../src/simulator';

async function main(): Promise<number> {
  const [port, logFile, separator, ...command] = process.argv.slice(2);
  if (!port || !logFile || separator !== '--' || !command.length) throw new Error('usage: nsRunner <port> <relay-log> -- <command> [args…]');
  // Never start an agent with a way out: the only interface must be loopback.
  const interfaces = Object.keys(os.networkInterfaces());
  if (interfaces.length !== 1 || interfaces[0] !== 'lo') throw new Error(`not in a loopback-only namespace (interfaces: ${interfaces.join(', ')})`);
  const gw = await startGateway({ port: Number(port), flavor: 'new-api' });
  try {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
    const code = await new Promise<number>((resolve) => {
      child.once('error', () => resolve(127));
      child.once('close', (c) => resolve(c ?? 1));
    });
    appendFileSync(logFile, `${JSON.stringify({ args: command.slice(1), code, relay: gw.relay })}\n`);
    return code;
  } finally {
    await gw.close();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`nsRunner: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(125);
});
