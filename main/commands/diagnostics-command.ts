// `integration-agent diagnostics --out FILE [--preview]`: the redacted support bundle, with a preview before saving.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pino from 'pino';
import type { AgentConfig } from '../config/schema.js';
import { buildDiagnosticBundle, type DiagnosticBundle } from '../diagnostics/bundle/index.js';
import { defaultBundleMaxBytes, defaultBundleTimeoutMs } from '../diagnostics/bundle/bundle-limits.js';
import { runPart } from '../diagnostics/bundle/deadline.js';
import { collectSecretValues } from '../diagnostics/bundle/secret-values.js';
import { defaultCheckTimeoutMs } from '../../connectors/core/connector.js';
import { checkDestination } from '../../connectors/registry.js';
import { loadConnectionSecrets } from '../engine/connection-secrets.js';
import { resolverOf } from '../../connectors/core/secret-ref.js';
import { outboxFile } from '../shared/data-dir.js';
import { CliError, exitCodes } from './cli-error.js';
import { liveStatus, supportDataDir } from './connections-command.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';

export interface DiagnosticsOptions extends SetupOptions {
  out?: string;
  preview?: boolean;
  maxMb?: string;
  timeoutS?: string;
  doctor?: boolean;
}

const secretStoreTimeoutMs = 5000;

function positive(value: string | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new CliError(`${option} ${value} is not a positive number`, exitCodes.failure);
  return n;
}

/** Runs the network doctor against every enabled connection's destination. */
function doctorOf(config: AgentConfig, dataDir: string): () => Promise<unknown> {
  return async () => {
    const secrets = await loadConnectionSecrets(config, pino({ level: 'silent' }), { dataDir });
    const reports: unknown[] = [];
    for (const connection of config.connections.filter((c) => c.enabled)) {
      const loaded = secrets.get(connection.id);
      reports.push(
        await checkDestination(connection.destination, {
          secrets: loaded instanceof Error || loaded === undefined ? resolverOf(new Map()) : loaded,
          timeoutMs: defaultCheckTimeoutMs,
          connection: connection.id,
        }),
      );
    }
    return reports;
  };
}

export function formatPreview(bundle: DiagnosticBundle): string {
  const lines = [
    `The bundle would hold ${bundle.files.length} files, ${bundle.totalBytes} bytes before compression:`,
  ];
  for (const file of bundle.files)
    lines.push(`  ${file.name.padEnd(32)} ${String(file.bytes).padStart(10)} bytes`);
  if (bundle.notes.length > 0) lines.push('', 'Notes:', ...bundle.notes.map((n) => `  - ${n}`));
  for (const file of bundle.files) {
    lines.push(
      '',
      `--- ${file.name} (first ${file.sample.length} characters, redacted) ---`,
      file.sample.trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function diagnosticsCommand(options: DiagnosticsOptions): Promise<void> {
  if (!options.out && !options.preview) {
    throw new CliError(
      'nothing to do. Hint: `integration-agent diagnostics --preview` to look first, `--out support.zip` to save',
      exitCodes.failure,
    );
  }
  const out = options.out === undefined ? undefined : resolve(options.out);
  if (out !== undefined && (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory())) {
    throw new CliError(
      `cannot write ${out}: ${dirname(out)} is not a directory. Hint: create it or choose another --out`,
      exitCodes.failure,
    );
  }
  const maxBytes = Math.round(
    positive(options.maxMb, defaultBundleMaxBytes / 1024 / 1024, '--max-mb') * 1024 * 1024,
  );
  const timeoutMs = Math.round(
    positive(options.timeoutS, defaultBundleTimeoutMs / 1000, '--timeout-s') * 1000,
  );
  const setup = await resolveSetup(options);
  const dataDir = supportDataDir(setup.dataDir);
  const notes: string[] = [];
  // Without a config the agent runs the sandbox, which uses no secrets: the keychain is left alone.
  const secrets = setup.config
    ? await runPart('reading the secret store', secretStoreTimeoutMs, () =>
        collectSecretValues(setup.config, dataDir),
      )
    : { ok: true as const, value: [] };
  if (!secrets.ok) notes.push(`${secrets.note.split('\n')[0] ?? ''}: secrets are removed by pattern only`);
  const secretValues = secrets.ok ? secrets.value : [];
  const status = liveStatus(dataDir);
  const bundle = await buildDiagnosticBundle({
    dataDir,
    ...(setup.config ? { config: setup.config } : {}),
    outbox: outboxFile(dataDir),
    ...(status ? { status } : {}),
    secretValues,
    notes,
    ...(options.doctor && setup.config ? { doctor: doctorOf(setup.config, dataDir) } : {}),
    maxBytes,
    timeoutMs,
  });
  if (options.preview) process.stdout.write(formatPreview(bundle));
  if (out !== undefined) {
    try {
      await bundle.writeTo(out);
    } catch (error) {
      throw new CliError(
        `cannot write ${out} (${(error as { code?: string }).code ?? String(error)}). Hint: choose a writable --out path`,
        exitCodes.failure,
      );
    }
    process.stdout.write(
      `Wrote ${out} (${bundle.files.length} files, readable by you only). Secrets and payloads are left out.\n`,
    );
  }
  for (const note of notes) process.stderr.write(`note: ${note}\n`);
}
