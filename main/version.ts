// The agent's version, read from the package.json that ships with it (works from sources and from dist/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export const packageRoot = dirname(findPackageJson(dirname(fileURLToPath(import.meta.url))) ?? '.');

export const agentVersion: string = (() => {
  const file = findPackageJson(dirname(fileURLToPath(import.meta.url)));
  return file
    ? ((JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0')
    : '0.0.0';
})();
