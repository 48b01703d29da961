// Connector forms are bundled into the renderer: everything they import, however deep, must be browser-safe.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const connectors = join(root, 'connectors');

/** Every connectors/<kind>s/<name>/form.ts, as the renderer's import.meta.glob finds them. */
const formFiles = ['sources', 'destinations'].flatMap((kind) =>
  readdirSync(join(connectors, kind))
    .map((name) => join(connectors, kind, name, 'form.ts'))
    .filter((file) => existsSync(file)),
);

/** The files reachable from `entries` by relative imports, and the packages they import. */
function importGraph(entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (fileName.startsWith('.')) visit(resolve(dirname(file), fileName.replace(/\.js$/, '.ts')));
      else packages.add(fileName);
    }
  };
  entries.forEach(visit);
  return { files, packages };
}

describe('connector form modules', () => {
  it('import only zod, browser-safe files of their own and the preload contract, however deep', () => {
    expect(formFiles.map((file) => relative(connectors, file)).sort()).toEqual([
      'destinations/amqp/form.ts',
      'destinations/file/form.ts',
      'destinations/http/form.ts',
      'destinations/mqtt/form.ts',
      'sources/database/form.ts',
      'sources/folder/form.ts',
    ]);
    const { files, packages } = importGraph(formFiles);
    expect([...packages]).toEqual(['zod']);
    const reached = [...files].map((file) => relative(root, file));
    expect(reached).toContain('connectors/sources/database/config.ts');
    // Their own folders, the connector core, and the browser-safe contract the renderer already uses.
    const outside = reached.filter(
      (file) => !file.startsWith('connectors/') && !file.startsWith('preload/contract/'),
    );
    expect(outside).toEqual([]);
  });
});
