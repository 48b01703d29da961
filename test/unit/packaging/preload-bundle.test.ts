// The preload bundle is one CommonJS script whose only require is 'electron', as a sandboxed renderer needs.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Script } from 'node:vm';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { preloadBuildConfig, preloadBundleName } from '../../../build/preload-build.js';
import { agentMethods } from '../../../preload/contract/api.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir({ prefix: 'preload-bundle-' });
const root = resolve(import.meta.dirname, '../../..');

/** Runs a bundle the way Electron runs a sandboxed preload: a classic script whose require knows only electron. */
function runSandboxed(code: string) {
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return Promise.resolve({ ok: true, value: 'answered' });
      },
      on: () => undefined,
    },
  };
  const sandboxRequire = (name: string) => {
    if (name !== 'electron') throw new Error(`module not found: ${name}`);
    return electron;
  };
  const wrapper = new Script(`(function (exports, require, module) {${code}\n})`).runInThisContext() as (
    e: object,
    r: (name: string) => unknown,
    m: object,
  ) => void;
  const module = { exports: {} };
  wrapper(module.exports, sandboxRequire, module);
  return { exposed, invoked };
}

function requiredModules(code: string): Set<string | undefined> {
  return new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));
}

describe('preload bundle', () => {
  it('bundles local files and npm packages into one script that only requires electron', async () => {
    const outDir = dir();
    await build(
      preloadBuildConfig({ root, entry: join(import.meta.dirname, 'fixtures/preload-entry.ts'), outDir }),
    );
    expect(readdirSync(outDir)).toEqual([preloadBundleName]);
    const code = readFileSync(join(outDir, preloadBundleName), 'utf8');
    expect(requiredModules(code)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).toContain('agent:call'); // the local helper is inlined
    expect(code).toContain('exposeInMainWorld');

    const { exposed, invoked } = runSandboxed(code);
    (exposed.fixture as { call(name: string): void }).call('Ada');
    expect(invoked).toEqual([['agent:call', { name: 'Ada' }]]);
  }, 20_000);

  it('builds the real preload into a script that exposes every contract method as window.agent', async () => {
    const outDir = dir();
    await build(preloadBuildConfig({ root, entry: join(root, 'preload/index.ts'), outDir }));
    const code = readFileSync(join(outDir, preloadBundleName), 'utf8');
    expect(requiredModules(code)).toEqual(new Set(['electron']));
    const { exposed, invoked } = runSandboxed(code);
    const agent = exposed.agent as Record<string, (args?: unknown) => Promise<unknown>>;
    expect(Object.keys(agent).sort()).toEqual([...Object.keys(agentMethods), 'on'].sort());
    await expect(agent.status!()).resolves.toBe('answered');
    expect(invoked).toEqual([['agent:call', 'status', undefined]]);
  }, 20_000);
});
