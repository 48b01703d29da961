// The layering rules of .dependency-cruiser.cjs: they fire on a small tree that breaks them, and the real tree keeps them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, format, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/temp-dir.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cruised = ['main', 'connectors', 'preload', 'renderer/src'];

async function houseOptions(): Promise<ICruiseOptions> {
  return extractDepcruiseOptions(path.join(root, '.dependency-cruiser.cjs'));
}

/** Cruises `dirs` under `baseDir` with the house rules. */
async function cruiseWithHouseRules(
  baseDir: string,
  dirs: string[],
  extra: Partial<ICruiseOptions> = {},
): Promise<ICruiseResult> {
  const options = await houseOptions();
  const tsConfig = extractTSConfig(path.join(baseDir, 'tsconfig.json'));
  const { output } = await cruise(dirs, { ...options, ...extra, baseDir }, undefined, { tsConfig });
  return output as ICruiseResult;
}

/** The violations the house rules report (errors and warnings). */
async function violations(
  baseDir: string,
  dirs: string[],
  extra: Partial<ICruiseOptions> = {},
): Promise<IViolation[]> {
  const result = await cruiseWithHouseRules(baseDir, dirs, extra);
  return result.summary.violations.filter((v) => v.rule.severity !== 'ignore');
}

/** `rule: from -> to`, a package named from its node_modules folder wherever that is. */
const brief = (v: IViolation) =>
  `${v.rule.name}: ${v.from} -> ${v.to.replace(/^.*\bnode_modules\//, 'node_modules/')}`;

describe('layering rules', () => {
  const dir = useTempDir({ prefix: 'layers-' });

  function write(file: string, text: string): void {
    const full = path.join(dir(), file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }

  /** A tree with one breach of each kind, next to imports the rules allow. */
  function writeFixture(): void {
    write(
      'tsconfig.json',
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
    );
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir(), 'node_modules'), 'dir');
    // Allowed: the api sits on the engine; a connector uses connectors/core and its own folder.
    write(
      'main/engine/engine.ts',
      "import { serve } from '../api/server.js';\nexport const engine = serve;\n",
    );
    write(
      'main/api/server.ts',
      "import type { Seen } from '../engine/types.js';\nexport const serve = (s: Seen) => s;\n",
    );
    write('main/engine/types.ts', 'export type Seen = string;\n');
    write('connectors/core/change.ts', 'export type Change = { id: number };\n');
    write(
      'connectors/sources/one/source.ts',
      "import type { Change } from '../../core/change.js';\nimport { parse } from './parse.js';\n" +
        "import { other } from '../two/source.js';\nexport const one = (c: Change) => [parse, other, c];\n",
    );
    write('connectors/sources/one/parse.ts', 'export const parse = 1;\n');
    write('connectors/sources/two/source.ts', 'export const other = 2;\n');
    // A type-only import counts as a dependency.
    write(
      'main/delivery/dispatcher.ts',
      "import type { one } from '../../connectors/sources/one/source.js';\nexport type One = typeof one;\n",
    );
    write(
      'main/outbox/notify.ts',
      "import { app } from 'electron';\nexport const quit = () => app.quit();\n",
    );
    write(
      'renderer/src/page.ts',
      "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    );
    // A connector's config.ts is open to the renderer, but what it pulls in must stay browser-safe.
    write(
      'connectors/sources/one/config.ts',
      "import { join } from 'node:path';\nexport const config = join;\n",
    );
    write(
      'renderer/src/wizard.ts',
      "import { config } from '../../connectors/sources/one/config.js';\n" +
        "import type { Change } from '../../connectors/core/change.js';\nexport const wizard = (c: Change) => [config, c];\n",
    );
    write('main/config/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
    write('main/config/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
  }

  it('reports each breach under the name of the rule it breaks, and nothing the rules allow', async () => {
    writeFixture();
    const found = (
      await violations(
        dir(),
        cruised.filter((d) => d !== 'preload'),
      )
    )
      .map(brief)
      .sort();
    expect(found).toEqual(
      [
        'connector-imports-only-its-folder: connectors/sources/one/source.ts -> connectors/sources/two/source.ts',
        'electron-only-in-shell: main/outbox/notify.ts -> node_modules/electron/index.js',
        'main-tier-engine: main/engine/engine.ts -> main/api/server.ts',
        'no-circular: main/config/a.ts -> main/config/b.ts',
        'outbox-delivery-no-connector: main/delivery/dispatcher.ts -> connectors/sources/one/source.ts',
        'renderer-no-node: renderer/src/page.ts -> fs',
        'renderer-no-node: renderer/src/wizard.ts -> path',
        'renderer-connector-browser-safe-only: renderer/src/wizard.ts -> connectors/core/change.ts',
      ].sort(),
    );
  });

  it('prints the rule in plain words with the violation (the lint script uses the err-long reporter)', async () => {
    writeFixture();
    const { output } = await format(await cruiseWithHouseRules(dir(), ['main']), { outputType: 'err-long' });
    expect(typeof output).toBe('string');
    const text = (output as string).replace(/\s+/g, ' ');
    expect(text).toContain('main-tier-engine: main/engine/engine.ts → main/api/server.ts');
    expect(text).toContain(
      'main/engine may import from main/ only the lower tiers (main/shared, main/version.ts, main/observability,',
    );
  });
});

describe('the real tree', () => {
  it('has no layering violation', async () => {
    expect((await violations(root, cruised)).map(brief)).toEqual([]);
  });
});
