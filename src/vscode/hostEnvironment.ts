import os from 'node:os';
import type { HostEnvironment } from '../core/agents/paths';

/**
 * The environment the agents' files are resolved against: the extension host's own (the one a terminal
 * started from VS Code inherits), read at the moment of use so a changed variable counts.
 */
export function hostEnvironment(): HostEnvironment {
  return { env: process.env, home: os.homedir(), platform: process.platform };
}
