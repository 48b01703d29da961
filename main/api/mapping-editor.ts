// The mapping editor's backend methods: source samples, the live preview, a suggested mapping and saving a new version.
// The preview, the suggestion and the contract compiler load on first use: a running agent seldom needs them.
import { maxPreviewSamples } from '../../preload/contract/mapping.js';
import { mappingSchema, type MappingConfig } from '../config/mapping-config.js';
import type { ConnectionConfig } from '../config/schema.js';
import { rawConnections } from '../engine/config-store.js';
import type { EngineControl } from '../engine/engine-control.js';
import type { ContractCheck } from '../shaping/contract-check.js';
import { readContractProperties } from '../shaping/contract-properties.js';
import type { MappingDraft, PreviewSample } from '../shaping/mapping-preview.js';
import { parseSampleText, SampleError } from '../shaping/sample-text.js';
import { recentSourceSamples, sourceSamplesByIds } from '../shaping/source-samples.js';
import type { BackendMethods, CallContext } from './agent-backend.js';
import { ContractError } from './contract-error.js';

type Methods = Pick<BackendMethods, 'sourceSamples' | 'previewMapping' | 'suggestMapping' | 'saveMapping'>;
type Sample = { text: string } | { recordIds: number[] };
type Audit = (context: CallContext, action: string, target: string | null, detail?: unknown) => void;

const invalid = (message: string, hint?: string) => new ContractError('invalid-argument', message, hint);

/** The highest version a connection's mapping has used (0 without a mapping). */
export function latestVersion(mapping: MappingConfig | undefined): number {
  if (!mapping) return 0;
  return Math.max(mapping.version, ...mapping.history.map((h) => h.version));
}

/** The draft's keys are checked by the mapping schema; the version and history are the agent's to set. */
function draftOf(input: Record<string, unknown>): MappingDraft {
  for (const key of ['version', 'history'])
    if (key in input)
      throw invalid(
        `mapping.${key}: the editor's draft has no ${key}`,
        'leave it out: saving gives the draft the next version and moves the active one to history',
      );
  return input as unknown as MappingDraft;
}

/** The draft as the next version of `raw` (the connection's mapping as written in the file), the old one in history. */
export function nextMappingVersion(
  raw: Record<string, unknown> | undefined,
  draft: Record<string, unknown>,
  version: number,
  note: string | undefined,
): Record<string, unknown> {
  if (!raw) return { version, ...draft };
  const { history, ...active } = raw;
  const earlier = Array.isArray(history) ? (history as unknown[]) : [];
  return { version, ...draft, history: [{ ...active, ...(note ? { note } : {}) }, ...earlier] };
}

export function createMappingEditor(control: EngineControl, audit: Audit): Methods {
  const { engine } = control;

  const samplesOf = (sample: Sample, connection: string | undefined): PreviewSample[] => {
    if ('text' in sample) {
      try {
        return parseSampleText(sample.text, maxPreviewSamples).records.map((record, i) => ({
          label: `sample ${i + 1}`,
          record,
        }));
      } catch (error) {
        if (error instanceof SampleError) throw invalid(`sample: ${error.message}`);
        throw error;
      }
    }
    if (connection === undefined)
      throw invalid(
        'sample.recordIds needs the connection',
        'name the connection, or paste a sample instead',
      );
    control.connection(connection);
    const found = sourceSamplesByIds(engine.outbox.db, connection, sample.recordIds);
    if (found.length === 0)
      throw invalid(
        `none of the records ${sample.recordIds.join(', ')} holds source data of ${connection}`,
        'pick records from the list of recent source records, or paste a sample',
      );
    return found.map((s) => ({ label: `record #${s.id}`, record: s.record }));
  };

  /** The contract to check against, and where it comes from; a contractFile is compiled for this call. */
  const contractOf = async (
    connection: ConnectionConfig | undefined,
    contractFile: string | undefined,
  ): Promise<{ check?: ContractCheck; file?: string }> => {
    const file = contractFile ?? connection?.contract?.schemaFile;
    if (file === undefined) return {};
    const running =
      contractFile === undefined && connection ? engine.contractCheck(connection.id) : undefined;
    if (running) return { check: running, file };
    const { compileContract } = await import('../shaping/contract-check.js');
    try {
      return { check: compileContract(file), file };
    } catch (error) {
      throw invalid((error as Error).message, 'check the path and that the file is a JSON Schema');
    }
  };

  return {
    sourceSamples({ connection, limit }) {
      control.connection(connection);
      return { samples: recentSourceSamples(engine.outbox.db, connection, limit) };
    },
    async previewMapping({ connection, contractFile, mapping, sample }) {
      const config = connection === undefined ? undefined : control.connection(connection);
      const contract = await contractOf(config, contractFile);
      const preview = await import('../shaping/mapping-preview.js');
      const report = await preview.previewMapping(draftOf(mapping), samplesOf(sample, connection), {
        version: latestVersion(config?.mapping) + 1,
        ...(contract.check ? { contract: contract.check } : {}),
      });
      return { ...report, ...(contract.file ? { contract: contract.file } : {}) };
    },
    async suggestMapping({ connection, contractFile, sample }) {
      const config = connection === undefined ? undefined : control.connection(connection);
      const file = contractFile ?? config?.contract?.schemaFile;
      let properties: Awaited<ReturnType<typeof readContractProperties>> = [];
      if (file !== undefined) {
        try {
          properties = await readContractProperties(file);
        } catch (error) {
          throw invalid((error as Error).message, 'check the path and that the file is a JSON Schema');
        }
      }
      const samples = samplesOf(sample, connection);
      const first = samples[0]?.record ?? {};
      const columns = Object.keys(first);
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const { suggestMapping } = await import('../shaping/mapping-suggestion.js');
      const suggestion = suggestMapping(columns, properties, first, zone);
      return {
        columns,
        properties,
        fields: suggestion.fields,
        unusedColumns: suggestion.unusedColumns,
        mapping: { expression: suggestion.expression, convert: suggestion.convert },
      };
    },
    async saveMapping({ connection, mapping, note, basedOnVersion }, context) {
      const current = control.connection(connection).mapping;
      const previous = current?.version;
      if (basedOnVersion !== undefined && basedOnVersion !== (previous ?? 0))
        throw new ContractError(
          'conflict',
          `the mapping of ${connection} is now v${previous ?? 0}, not v${basedOnVersion} as when this edit started`,
          'reload the editor to see the current mapping, then make the change again',
        );
      const version = latestVersion(current) + 1;
      const checked = mappingSchema.safeParse({ ...draftOf(mapping), version, history: [] });
      if (!checked.success)
        throw invalid(
          checked.error.issues.map((i) => `mapping.${i.path.map(String).join('.')}: ${i.message}`).join('; '),
          'fix the mapping where the preview shows the problem',
        );
      await control.updateConfig((raw) => {
        const entry = rawConnections(raw).find((c) => c.id === connection);
        if (!entry) throw invalid(`the config file has no connection "${connection}"`);
        const written = entry.mapping as Record<string, unknown> | undefined;
        entry.mapping = nextMappingVersion(written, mapping, version, note);
      });
      audit(context, 'mapping.save', connection, {
        version,
        ...(previous ? { previousVersion: previous } : {}),
        ...(note ? { note } : {}),
      });
      return { connection, version, ...(previous ? { previousVersion: previous } : {}) };
    },
  };
}
