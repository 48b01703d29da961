// The machine the agent runs on: OS, runtime versions, CPU, memory, free disk; the machine only as a salted hash.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import { errorMessage } from '../../shared/error-message.js';

/** Fixed salt: bundles of one machine share the hash, and the hash alone does not reveal the host name. */
const machineSalt = 'integration-agent/diagnostics/machine-id/v1';

function machineId(): string {
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    } catch {
      // unreadable: try the next one
    }
  }
  return '';
}

/** SHA-256 of salt + host name + machine id: identifies the machine across bundles without naming it. */
export function machineIdHash(): string {
  return createHash('sha256').update(`${machineSalt}\n${os.hostname()}\n${machineId()}`).digest('hex');
}

function freeDisk(dir: string): { freeBytes: number; totalBytes: number } | { error: string } {
  try {
    const stats = statfsSync(dir);
    return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  } catch (error) {
    return { error: errorMessage(error) };
  }
}

export function systemInfo(
  dataDir: string,
  agentVersion: string,
  sqliteVersion?: string,
): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    agentVersion,
    os: {
      platform: os.platform(),
      type: os.type(),
      release: os.release(),
      version: os.version(),
      arch: os.arch(),
    },
    versions: {
      node: process.versions.node,
      v8: process.versions.v8,
      ...(sqliteVersion ? { sqlite: sqliteVersion } : {}),
    },
    cpu: { model: cpus[0]?.model ?? 'unknown', count: cpus.length, loadAverage: os.loadavg() },
    memory: {
      totalBytes: os.totalmem(),
      freeBytes: os.freemem(),
      processRssBytes: process.memoryUsage().rss,
    },
    uptimeSeconds: Math.round(os.uptime()),
    dataDirDisk: freeDisk(dataDir),
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
