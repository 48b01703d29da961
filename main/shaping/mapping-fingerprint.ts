// Holds mapping versions to their content: a version edited in place (same number, other mapping) stops its connection.
import { createHash } from 'node:crypto';
import type { MappingConfig } from '../config/mapping-config.js';

type MappingVersion = Omit<MappingConfig, 'history'> & { note?: string };

/** What the outbox remembers: the fingerprint each version of a connection's mapping had when it first mapped. */
export interface MappingVersionStore {
  /** Stores the fingerprint of a version unless one is stored already; returns the stored one. */
  mappingFingerprint(connection: string, version: number, fingerprint: string): string;
}

/** SHA-256 of what decides a version's output: expression, filter, conversions, sensitive fields, API version. */
export function mappingFingerprint(mapping: MappingVersion): string {
  const convert = Object.entries(mapping.convert ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const parts = [mapping.expression, mapping.filter ?? null, convert, mapping.sensitive ?? []];
  // Versions written before mappings named an API version keep their fingerprint.
  const content = JSON.stringify(mapping.apiVersion === undefined ? parts : [...parts, mapping.apiVersion]);
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Checks every version in the config against the fingerprint it had when it was first used (the active version is
 * recorded now). Returns the problem, in words with the fix, when a version was edited in place.
 */
export function mappingVersionProblem(
  store: MappingVersionStore,
  connection: string,
  mapping: MappingConfig,
): string | undefined {
  for (const version of [mapping, ...mapping.history]) {
    const fingerprint = mappingFingerprint(version);
    if (store.mappingFingerprint(connection, version.version, fingerprint) === fingerprint) continue;
    const next = Math.max(mapping.version, ...mapping.history.map((h) => h.version)) + 1;
    return (
      `mapping v${version.version} was edited in place: records were already mapped with a different v${version.version}. ` +
      `Fix: give the edited mapping version ${next} and keep the earlier v${version.version} unchanged under mapping.history`
    );
  }
  return undefined;
}
