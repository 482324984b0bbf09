/**
 * The manifest's first-run parts (issue 13, "First run"): the "Get started with Tokaify" walkthrough and
 * the welcome view. Every step has theme-aware media that exists, a button whose command is contributed
 * and completion events VS Code can fire; the Chinese texts link to the same commands as the English;
 * every contributed string a person reads is a %key%. And the startup code opens the walkthrough once,
 * for a newcomer only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ContextKeys } from '../../src/vscode/commandIds';
import { Walkthrough } from '../../src/vscode/walkthroughIds';

const ROOT = path.resolve(__dirname, '../../..');
const readJson = <T>(rel: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as T;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; image?: unknown; markdown?: string; altText?: string };
  completionEvents?: string[];
}
interface Manifest {
  name: string;
  publisher: string;
  displayName: string;
  description: string;
  capabilities: { untrustedWorkspaces: { description: string } };
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    viewsContainers: Record<string, { id: string; title: string }[]>;
    views: Record<string, { id: string; name: string; contextualTitle?: string }[]>;
    viewsWelcome: { view: string; when?: string; contents: string }[];
    walkthroughs: { id: string; title: string; description: string; steps: Step[] }[];
    configuration: { title: string; properties: Record<string, Record<string, unknown>> };
  };
}

const manifest = readJson<Manifest>('package.json');
const english = readJson<Record<string, string>>('package.nls.json');
const chinese = readJson<Record<string, string>>('package.nls.zh-cn.json');
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
const knownContextKeys = new Set<string>(Object.values(ContextKeys));

/** A `%key%` resolved the way VS Code does, in one language. */
function resolve(value: string, nls: Record<string, string>): string {
  const key = /^%([^%]+)%$/.exec(value)?.[1];
  assert.ok(key, `${JSON.stringify(value)} is not a %key%`);
  const text = nls[key];
  assert.equal(typeof text, 'string', `no entry for %${key}%`);
  return text!;
}

/** `[label](command:id)` links in a text, in order. */
const commandLinks = (text: string): string[] => [...text.matchAll(/\]\(command:([\w.]+)[^)]*\)/g)].map((m) => m[1]!);
/** The commands of lines that are a single link: VS Code renders those as buttons. */
const buttons = (text: string): string[] => text.split('\n').map((line) => /^\[[^\]]+\]\(command:([\w.]+)\)$/.exec(line.trim())?.[1]).filter((id): id is string => !!id);

function checkLinks(where: string, value: string): string[] {
  const problems: string[] = [];
  const en = resolve(value, english);
  const zh = resolve(value, chinese);
  for (const id of commandLinks(en)) if (!contributed.has(id)) problems.push(`${where}: links to ${id}, which package.json does not contribute`);
  if (commandLinks(zh).join() !== commandLinks(en).join()) problems.push(`${where}: the zh-CN text links to ${commandLinks(zh).join(', ')}, the English to ${commandLinks(en).join(', ')}`);
  if (buttons(zh).join() !== buttons(en).join()) problems.push(`${where}: the zh-CN text has the buttons ${buttons(zh).join(', ')}, the English ${buttons(en).join(', ')}`);
  return problems;
}

describe('first run: the walkthrough and the welcome view in package.json', () => {
  const walkthrough = (manifest.contributes.walkthroughs ?? []).find((w) => w.id === Walkthrough.id);

  it('every string a person reads in the manifest is a %key% that package.nls.json and package.nls.zh-cn.json resolve', () => {
    const c = manifest.contributes;
    const shown: [string, string | undefined][] = [
      ['displayName', manifest.displayName],
      ['description', manifest.description],
      ['untrustedWorkspaces.description', manifest.capabilities.untrustedWorkspaces.description],
      ...c.commands.flatMap((cmd): [string, string | undefined][] => [[`${cmd.command} title`, cmd.title], [`${cmd.command} category`, cmd.category]]),
      ...Object.values(c.viewsContainers).flat().map((v): [string, string] => [`view container ${v.id}`, v.title]),
      ...Object.values(c.views).flat().flatMap((v): [string, string | undefined][] => [[`view ${v.id}`, v.name], [`view ${v.id} contextualTitle`, v.contextualTitle]]),
      ...c.viewsWelcome.map((w): [string, string] => [`viewsWelcome ${w.when}`, w.contents]),
      ...c.walkthroughs.flatMap((w): [string, string | undefined][] => [[`walkthrough ${w.id} title`, w.title], [`walkthrough ${w.id} description`, w.description],
        ...w.steps.flatMap((s): [string, string | undefined][] => [[`step ${s.id} title`, s.title], [`step ${s.id} description`, s.description], [`step ${s.id} altText`, s.media.altText]])]),
      ['configuration title', c.configuration.title],
      ...Object.entries(c.configuration.properties).flatMap(([name, p]) => ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage']
        .filter((field) => p[field] !== undefined).map((field): [string, string] => [`${name} ${field}`, p[field] as string])),
      ...Object.entries(c.configuration.properties).flatMap(([name, p]) => ['enumDescriptions', 'markdownEnumDescriptions']
        .flatMap((field) => ((p[field] as string[] | undefined) ?? []).map((text, i): [string, string] => [`${name} ${field}[${i}]`, text]))),
    ];
    const problems = shown.filter(([, value]) => value !== undefined).flatMap(([where, value]) => {
      if (!/^%[^%]+%$/.test(value!)) return [`${where} is literal text: ${JSON.stringify(value)}`];
      const key = value!.slice(1, -1);
      return [!(key in english) && `${where}: package.nls.json lacks ${key}`, !(key in chinese) && `${where}: package.nls.zh-cn.json lacks ${key}`].filter((p): p is string => !!p);
    });
    assert.deepEqual(problems, []);
  });

  it('in Chinese the view, a command, the welcome button and the walkthrough read as Chinese', () => {
    const zh = (value: string) => resolve(value, chinese);
    assert.equal(zh(manifest.contributes.views.tokaify![0]!.name), '令牌管理');
    assert.equal(zh(manifest.contributes.commands.find((c) => c.command === 'tokaify.addGateway')!.title), '添加网关');
    assert.match(zh(manifest.contributes.viewsWelcome[0]!.contents), /^\[添加网关\]\(command:tokaify\.addGateway\)$/m);
    assert.equal(zh(walkthrough!.title), 'Tokaify 快速入门');
    assert.deepEqual(walkthrough!.steps.map((s) => zh(s.title)), ['连接网关', '选择或创建令牌', '配置编程智能体', '验证配置']);
  });

  it(`has the walkthrough "${Walkthrough.id}" with the steps connect → token → configure → verify, and "${Walkthrough.command}" opens it`, () => {
    assert.ok(walkthrough, `no walkthrough with id ${Walkthrough.id}`);
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['connect', 'token', 'configure', 'verify']);
    assert.equal(resolve(walkthrough.title, english), 'Get started with Tokaify');
    assert.ok(contributed.has(Walkthrough.command), `${Walkthrough.command} is not contributed`);
  });

  it('every step has a command button, links only to contributed commands, and the same links in Chinese', () => {
    const problems = walkthrough!.steps.flatMap((step) => {
      const found = checkLinks(`step ${step.id}`, step.description);
      if (!buttons(resolve(step.description, english)).length) found.push(`step ${step.id} has no button (a line that is just [Label](command:…))`);
      return found;
    });
    assert.deepEqual(problems, []);
  });

  it('every step completes on events VS Code fires: a contributed command run, or a context key the extension sets', () => {
    const problems = walkthrough!.steps.flatMap((step) => {
      const events = step.completionEvents ?? [];
      // Without completionEvents VS Code completes a step when it is merely selected.
      if (!events.length) return [`step ${step.id} has no completionEvents`];
      const found = events.flatMap((event) => {
        const [, kind, subject] = /^(onCommand|onContext):(.+)$/.exec(event) ?? [];
        if (kind === 'onCommand') return contributed.has(subject!) ? [] : [`step ${step.id}: ${event} names a command package.json does not contribute`];
        if (kind === 'onContext') return knownContextKeys.has(subject!.replace(/^!/, '')) ? [] : [`step ${step.id}: ${event} names a context key the extension never sets`];
        return [`step ${step.id}: ${event} is neither onCommand nor onContext`];
      });
      // The step's own button completes it, unless a context key says when the step is really done.
      const button = buttons(resolve(step.description, english))[0];
      if (button && !events.includes(`onCommand:${button}`) && !events.some((e) => e.startsWith('onContext:'))) found.push(`step ${step.id}: its button ${button} does not complete it`);
      return found;
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(walkthrough!.steps[0]!.completionEvents, [`onContext:${ContextKeys.hasAccounts}`], 'connecting completes once there is an account, not when Add Gateway is merely run');
  });

  it('every step\'s media is a small SVG under media/walkthrough/ drawn in theme colours, with alt text', () => {
    const problems = walkthrough!.steps.flatMap((step) => {
      const file = step.media.svg;
      if (!file) return [`step ${step.id} has no SVG media`];
      const found: string[] = [];
      if (!file.startsWith('media/walkthrough/')) found.push(`step ${step.id}: ${file} is not under media/walkthrough/`);
      if (!step.media.altText) found.push(`step ${step.id} has no altText`);
      const full = path.join(ROOT, file);
      if (!fs.existsSync(full)) return [...found, `step ${step.id}: ${file} does not exist`];
      const svg = fs.readFileSync(full, 'utf8');
      if (svg.length > 4096) found.push(`${file} is ${svg.length} bytes: keep walkthrough drawings small`);
      if (!/^<svg [^>]*viewBox="[\d. ]+"/.test(svg)) found.push(`${file} does not start with an <svg> that has a viewBox`);
      // The walkthrough inlines the SVG in a webview whose CSP allows only its own nonce'd <style>.
      if (/<style|<script|\sstyle=|<image|<foreignObject|href=/.test(svg)) found.push(`${file} has a <style>, style attribute, script, image or link, which the walkthrough's webview blocks`);
      // Colours from the theme (or none), so the drawing reads in light, dark and high-contrast themes.
      for (const [, attribute, colour] of svg.matchAll(/\s(fill|stroke|stop-color)="([^"]*)"/g)) {
        if (!/^(none|currentColor|var\(--vscode-[\w-]+, #[\da-f]{3,6}\))$/i.test(colour!)) found.push(`${file}: ${attribute}="${colour}" is a fixed colour, not a theme variable`);
      }
      return found;
    });
    assert.deepEqual(problems, []);
  });

  it('the welcome view without an account offers Add Gateway and Get Started as buttons, in both languages', () => {
    const welcome = manifest.contributes.viewsWelcome.find((w) => w.when === `!${ContextKeys.hasAccounts}`);
    assert.ok(welcome, 'no welcome content for the signed-out view');
    assert.deepEqual(manifest.contributes.viewsWelcome.flatMap((w) => checkLinks(`viewsWelcome ${w.when}`, w.contents)), []);
    assert.deepEqual(buttons(resolve(welcome.contents, english)), ['tokaify.addGateway', Walkthrough.command]);
  });
});

describe('first run: the walkthrough opens once after install, for a newcomer', function () {
  this.timeout(30_000);
  const extensionId = `${manifest.publisher}.${manifest.name}`;
  let bundle: string;
  let dir: string;

  before(() => {
    // firstRun.ts imports vscode, which plain Node lacks: bundle it alone and load it with a stand-in.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokaify-firstrun-'));
    bundle = path.join(dir, 'firstRun.js');
    const esbuild = path.join(ROOT, 'node_modules', '.bin', 'esbuild');
    const built = spawnSync(esbuild, ['src/vscode/firstRun.ts', '--bundle', '--platform=node', '--format=cjs', '--external:vscode', `--outfile=${bundle}`, '--log-level=warning'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  interface Run {
    executed: unknown[][];
    registered: Map<string, () => unknown>;
    state: Map<string, unknown>;
  }

  /** Loads firstRun.js against a fake vscode, then runs `body` with it and a fresh context over `state`. */
  function withFirstRun(state: Map<string, unknown>, openOnInstall: boolean | undefined, body: (m: typeof import('../../src/vscode/firstRun'), context: unknown) => void): Run {
    const run: Run = { executed: [], registered: new Map(), state };
    const fake = {
      commands: {
        executeCommand: async (...args: unknown[]) => void run.executed.push(args),
        registerCommand: (id: string, handler: () => unknown) => (run.registered.set(id, handler), { dispose() {} }),
      },
      workspace: {
        getConfiguration: (section: string) => ({
          get: <T>(key: string, fallback: T) => (section === 'workbench.welcomePage' && key === 'walkthroughs.openOnInstall' && openOnInstall !== undefined ? openOnInstall : fallback),
        }),
      },
    };
    const context = {
      extension: { id: extensionId },
      subscriptions: [] as unknown[],
      globalState: { get: (key: string) => state.get(key), update: async (key: string, value: unknown) => void state.set(key, value) },
    };
    type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
    const loader = Module as unknown as { _load: Loader };
    const original = loader._load;
    loader._load = (request, parent, isMain) => (request === 'vscode' ? fake : original(request, parent, isMain));
    try {
      body(require(bundle) as typeof import('../../src/vscode/firstRun'), context);
    } finally {
      loader._load = original;
      delete require.cache[bundle];
    }
    return run;
  }

  const opened = (run: Run) => run.executed.filter(([command]) => command === 'workbench.action.openWalkthrough');
  const OPEN = ['workbench.action.openWalkthrough', `${extensionId}#${Walkthrough.id}`, false];

  it('a newcomer gets it once: the first activation opens it, the next does not', () => {
    const state = new Map<string, unknown>();
    const first = withFirstRun(state, undefined, (m, context) => m.offerWalkthroughOnce(context as never, false));
    assert.deepEqual(opened(first), [OPEN]);
    assert.equal(state.get(Walkthrough.offeredKey), true);
    const second = withFirstRun(state, undefined, (m, context) => m.offerWalkthroughOnce(context as never, false));
    assert.deepEqual(opened(second), []);
  });

  it('someone who already has a gateway (an update) or turned walkthroughs-on-install off does not get it, now or later', () => {
    const updated = new Map<string, unknown>();
    assert.deepEqual(opened(withFirstRun(updated, undefined, (m, context) => m.offerWalkthroughOnce(context as never, true))), []);
    assert.deepEqual(opened(withFirstRun(updated, undefined, (m, context) => m.offerWalkthroughOnce(context as never, false))), [], 'offered again after signing out');
    const declined = new Map<string, unknown>();
    assert.deepEqual(opened(withFirstRun(declined, false, (m, context) => m.offerWalkthroughOnce(context as never, false))), []);
    assert.equal(declined.get(Walkthrough.offeredKey), true);
  });

  it(`"${Walkthrough.command}" opens it whenever asked`, async () => {
    const state = new Map<string, unknown>([[Walkthrough.offeredKey, true]]);
    const run = withFirstRun(state, undefined, (m, context) => m.registerGetStarted(context as never));
    const handler = run.registered.get(Walkthrough.command);
    assert.ok(handler, `${Walkthrough.command} was not registered`);
    await handler();
    assert.deepEqual(opened(run), [OPEN]);
    // Kept open, so the Configure step's diff preview does not replace the walkthrough's preview tab.
    assert.deepEqual(run.executed.map(([command]) => command), ['workbench.action.openWalkthrough', 'workbench.action.keepEditor']);
  });
});
