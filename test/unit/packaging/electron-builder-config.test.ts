// electron-builder.yml is valid for electron-builder (its JSON schema via ajv, and its own validator) and says what we need.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { desktopPaths } from '../../../main/desktop/app-paths.js';

const root = resolve(import.meta.dirname, '../../..');
const configFile = join(root, 'electron-builder.yml');
/** The parts of electron-builder.yml the assertions below read. */
interface BuilderYaml {
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  directories: { buildResources: string };
  extraResources: { from: string }[];
  electronFuses: Record<string, boolean>;
  publish: null;
  win: { target: string[]; icon: string };
  nsis: { perMachine: boolean };
  msi: { perMachine: boolean; upgradeCode: string };
  linux: { target: string[]; icon: string };
  mac: { target: string[] };
}
const config = parse(readFileSync(configFile, 'utf8')) as BuilderYaml;
const schema = JSON.parse(
  readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
) as object;

let compiled: ValidateFunction | undefined;
/** Compiling electron-builder's schema takes a while: once per file. */
function compileSchema(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  return compiled;
}

function findFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

describe('electron-builder.yml', () => {
  it("matches electron-builder's JSON schema (ajv 8)", () => {
    const validate = compileSchema();
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('would be caught by the schema check if an option were misspelt', () => {
    const validate = compileSchema();
    expect(validate({ ...config, nsis: { ...config.nsis, perMachin: true } })).toBe(false);
    expect(validate({ ...config, asarUnpak: [] })).toBe(false);
  });

  it("passes electron-builder's own configuration loader and validator", async () => {
    const loaded = await getConfig(root, configFile, null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    expect(loaded.appId).toBe('org.integration-agent.desktop');
  });

  it('installs per machine on Windows (NSIS and MSI) and builds every promised target', () => {
    expect(config.win.target).toEqual(['nsis', 'msi']);
    expect(config.nsis.perMachine).toBe(true);
    expect(config.msi.perMachine).toBe(true);
    expect(config.msi.upgradeCode).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(config.linux.target).toEqual(['deb', 'rpm', 'AppImage']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.publish).toBeNull();
  });

  it('packs into asar but unpacks the native modules of better-sqlite3 and keytar', () => {
    expect(config.asar).toBe(true);
    const unpacked = picomatch(config.asarUnpack, { dot: true });
    const natives = [
      ...findFiles(join(root, 'node_modules/better-sqlite3'), '.node'),
      ...findFiles(join(root, 'node_modules/keytar'), '.node'),
    ].map((f) => relative(root, f));
    expect(natives.length).toBeGreaterThanOrEqual(2);
    for (const file of natives) expect(unpacked(file), file).toBe(true);
    expect(unpacked('node_modules/zod/index.js')).toBe(false);
  });

  it('ships the built app: package.json, dist (main entry, preload bundle, renderer) and node_modules', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    const { files } = config;
    const included = picomatch(
      files.filter((f) => !f.startsWith('!')),
      { dot: true },
    );
    const excluded = picomatch(
      files.filter((f) => f.startsWith('!')).map((f) => f.slice(1)),
      { dot: true },
    );
    const shipped = (f: string) => included(f) && !excluded(f);
    const paths = desktopPaths('');
    for (const f of [
      'package.json',
      pkg.main,
      paths.preload,
      `${paths.renderer}/index.html`,
      paths.icon,
      'node_modules/better-sqlite3/package.json',
    ])
      expect(shipped(f), f).toBe(true);
    expect(shipped('dist/main/cli.js.map')).toBe(false);
    expect(pkg.main).toBe('dist/main/electron/app.js');
  });

  it('points at resources that exist: icons, build resources and the service files', () => {
    expect(existsSync(join(root, config.win.icon))).toBe(true);
    expect(existsSync(desktopPaths(root).icon)).toBe(true);
    expect(existsSync(join(root, config.linux.icon, '512x512.png'))).toBe(true);
    expect(existsSync(join(root, config.directories.buildResources, 'icon.png'))).toBe(true);
    for (const resource of config.extraResources)
      expect(readdirSync(join(root, resource.from)).length, resource.from).toBeGreaterThan(0);
  });

  it('turns off the Electron fuses that would let the signed binary run arbitrary code', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });
});
