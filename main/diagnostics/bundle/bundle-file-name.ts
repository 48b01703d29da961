// A bundle's file name: which machine (the first 12 hex of its hashed id, as in manifest.json) and when, in UTC.
import { machineIdHash } from './system-info.js';

export function bundleFileName(at = new Date()): string {
  return `diagnostics-${machineIdHash().slice(0, 12)}-${at.toISOString().replace(/[:.]/g, '-')}.zip`;
}
