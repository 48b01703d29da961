// `integration-agent dlq remap [ids...] --connection C`: the current mapping again on the dead letters it rejected.
import { loadContract } from '../shaping/openapi-contract.js';
import { declaredApiVersion } from '../shaping/api-version-stamp.js';
import { remapDeadLetters, type RemapReport } from '../shaping/remap-dead-letters.js';
import { openDeadLetterWriter, readAuditMark, runningAgentPid } from '../diagnostics/bundle/open-outbox.js';
import { RotationRaced } from '../outbox/rotation-guard.js';
import { cliActor, parseIds } from './dlq-arguments.js';
import { cliDataKeys } from './cli-data-keys.js';
import { CliError, exitCodes } from './cli-error.js';
import { withOutboxErrors } from './connections-command.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';
import { plural } from '../engine/plain-words.js';

export interface DlqRemapOptions extends SetupOptions {
  connection?: string;
}

function print(report: RemapReport, running: boolean): void {
  if (report.remapped.length > 0)
    process.stdout.write(
      `Re-mapped ${plural(report.remapped.length, 'record')}, now queued with the new payload: ${report.remapped.join(', ')}.` +
        (running
          ? ' The running agent sends them within a few seconds.\n'
          : ' They are sent when the agent starts.\n'),
    );
  if (report.stillFailing.length > 0)
    process.stderr.write(
      `Still not mapping, left dead with the new reason: ${report.stillFailing.join(', ')} (see \`integration-agent dlq list\`).\n`,
    );
  for (const refusal of report.refused) process.stderr.write(`Refused: ${refusal.reason}.\n`);
  if (report.skipped.length > 0)
    process.stderr.write(
      `Skipped ${plural(report.skipped.length, 'id')} that ${report.skipped.length === 1 ? 'is not a dead letter' : 'are not dead letters'} of this connection: ${report.skipped.join(', ')}.\n`,
    );
}

export async function dlqRemapCommand(ids: string[], options: DlqRemapOptions): Promise<void> {
  if (!options.connection)
    throw new CliError(
      "--connection ID is required (the mapping to run is that connection's)",
      exitCodes.failure,
    );
  const list = ids.length > 0 ? parseIds(ids) : undefined;
  const setup = await resolveSetup(options);
  const connection = setup.config?.connections.find((c) => c.id === options.connection);
  if (!connection || !setup.config)
    throw new CliError(
      `no connection "${options.connection}" in ${setup.configFile ?? 'the config'}. Hint: pass --config FILE`,
      exitCodes.badConfig,
    );
  if (!connection.mapping)
    throw new CliError(
      `connection "${connection.id}" has no mapping: nothing to re-map with. Hint: \`dlq replay\` sends dead letters as they are`,
      exitCodes.failure,
    );
  const mapping = connection.mapping;
  // Taken before the key is loaded: a rotation in the agent after this point stops the write (rotation-guard.ts).
  const mark = withOutboxErrors(() => readAuditMark(setup.dataDir));
  const keys = await cliDataKeys(
    setup.config,
    setup.dataDir,
    connection.id,
    `nothing was re-mapped or changed: outbox.encryption is on, and the dead letters of ${connection.id} cannot be opened or re-sealed without its data key`,
  );
  const writer = withOutboxErrors(() =>
    openDeadLetterWriter(setup.dataDir, keys && { codec: keys, auditMark: mark }),
  );
  let report: RemapReport;
  try {
    const contract = connection.contract ? await loadContract(connection.contract) : undefined;
    report = await remapDeadLetters(
      writer,
      connection.id,
      mapping,
      list,
      cliActor(),
      contract,
      declaredApiVersion(connection.destination),
    );
  } catch (error) {
    if (!(error instanceof RotationRaced)) throw error;
    throw new CliError(
      `stopped: ${error.message}. Dead letters of earlier steps may be re-mapped already; \`integration-agent dlq list --connection ${connection.id}\` shows what is left`,
      exitCodes.failure,
    );
  } finally {
    writer.close();
  }
  print(report, runningAgentPid(setup.dataDir) !== undefined);
  if (report.remapped.length + report.stillFailing.length === 0)
    throw new CliError(
      'nothing was re-mapped. Hint: `integration-agent dlq list --connection ID` shows the dead letters',
      exitCodes.failure,
    );
}
