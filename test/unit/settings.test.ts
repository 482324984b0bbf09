import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { clampNumberSetting, REQUEST_TIMEOUT_SECONDS, STATUS_REFRESH_MINUTES } from '../../src/core/settings';

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { scope?: string; minimum?: number; maximum?: number; default?: unknown } | undefined> } };
}

describe('settings that shape requests', () => {
  it('package.json: application scope, restricted in untrusted workspaces, the same ranges as the clamp', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as Manifest;
    const untrusted = pkg.capabilities.untrustedWorkspaces;
    // restrictedConfigurations is read by VS Code only with supported "limited".
    assert.equal(untrusted.supported, 'limited');
    for (const [key, range] of [['tokaify.requestTimeoutSeconds', REQUEST_TIMEOUT_SECONDS], ['tokaify.statusRefreshMinutes', STATUS_REFRESH_MINUTES]] as const) {
      const setting = pkg.contributes.configuration.properties[key];
      assert.ok(setting, key);
      assert.equal(setting.scope, 'application', `${key}: a repository's .vscode/settings.json must not set it`);
      assert.ok(untrusted.restrictedConfigurations?.includes(key), `${key} is restricted`);
      assert.deepEqual({ min: setting.minimum, max: setting.maximum, fallback: setting.default }, range);
    }
  });

  it('anything that is not a finite number is the default', () => {
    for (const raw of [Number.NaN, 'x', '', ' ', '1e3x', null, undefined, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, {}, [5]]) {
      assert.equal(clampNumberSetting(raw, REQUEST_TIMEOUT_SECONDS), 15, `${String(raw)} → 15`);
      assert.equal(clampNumberSetting(raw, STATUS_REFRESH_MINUTES), 5, `${String(raw)} → 5`);
    }
  });

  it('numbers (and strings that are just a number) are clamped to the range', () => {
    const cases: [unknown, number, number][] = [
      // raw, timeout seconds, refresh minutes
      [0, 1, 1],
      [-1, 1, 1],
      [0.5, 1, 1],
      [1e9, 120, 1440],
      [30, 30, 30],
      [2.5, 2.5, 2.5],
      ['30', 30, 30],
      [' 45 ', 45, 45],
      ['-1', 1, 1],
      ['9999', 120, 1440],
    ];
    for (const [raw, timeout, refresh] of cases) {
      assert.equal(clampNumberSetting(raw, REQUEST_TIMEOUT_SECONDS), timeout, `timeout ${JSON.stringify(raw)}`);
      assert.equal(clampNumberSetting(raw, STATUS_REFRESH_MINUTES), refresh, `refresh ${JSON.stringify(raw)}`);
    }
  });
});
