// Packages a plain agent may never need (YAML, JSONata, an XML parser), required on first use instead of at start.
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A getter for the CommonJS package `name`, loaded by the first call. Each of these costs the idle agent resident
 * memory for the whole run (yaml alone about 2.5 MiB) while a sandbox, a JSON config or a source without mappings
 * never calls into it.
 */
export function loadOnFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(name) as T);
}
