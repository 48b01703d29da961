// yaml, JSONata and saxes load when first used, not when the modules that use them are imported (the idle agent).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.js';
import { useTempDir } from '../support/temp-dir.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const dir = useTempDir({ prefix: 'first-use-' });
const url = (file: string) => JSON.stringify(pathToFileURL(path.join(repoRoot, file)).href);

const probe = `
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
const loaded = () => ['yaml', 'jsonata', 'saxes'].filter((name) =>
  Object.keys(cache).some((file) => file.includes('/node_modules/' + name + '/')));
await import(${url('main/config/load-config.ts')});
await import(${url('main/config/save-config.ts')});
await import(${url('main/engine/config-store.ts')});
await import(${url('main/shaping/compile-mapping.ts')});
await import(${url('connectors/sources/folder/records/xml-records.ts')});
const atImport = loaded();
const { yaml } = await import(${url('main/config/yaml-module.ts')});
const { jsonata } = await import(${url('main/config/jsonata-module.ts')});
const parsed = yaml().parse('retries: 3');
const mapped = await jsonata()('retries + 1').evaluate(parsed);
process.stdout.write(JSON.stringify({ atImport, afterUse: loaded(), parsed, mapped, same: yaml() === yaml() }));
`;

describe('packages loaded on first use', () => {
  it('importing the config, mapping and XML modules loads none of yaml, jsonata, saxes; a first call loads and caches it', async () => {
    const probeFile = path.join(dir(), 'probe.mjs');
    fs.writeFileSync(probeFile, probe);
    const { code, out, err } = await runScript(probeFile);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      atImport: [],
      afterUse: ['yaml', 'jsonata'],
      parsed: { retries: 3 },
      mapped: 4,
      same: true,
    });
  });
});
