// The wizard's records preview method: checks the source section with its connector's schema, then asks the connector.
import type { RecordsPreview } from '../../preload/contract/records-preview.js';
import { findSourceConnector } from '../../connectors/registry.js';
import { fromZodError } from '../config/errors.js';
import type { BackendMethods } from './agent-backend.js';
import { ContractError } from './contract-error.js';

type Methods = Pick<BackendMethods, 'previewRecords'>;

export function createRecordsPreview(): Methods {
  return {
    async previewRecords({ source, file, sample, limit }): Promise<RecordsPreview> {
      const connector = findSourceConnector(source.type);
      if (!connector?.preview)
        throw new ContractError(
          'invalid-argument',
          `a records preview is not available for ${typeof source.type === 'string' ? source.type : 'this kind of'} sources`,
          'the preview reads folder sources in records mode (CSV, JSON, NDJSON or XML)',
        );
      const parsed = connector.schema.safeParse(source, { reportInput: true });
      if (!parsed.success) {
        const { issues } = fromZodError('the source', parsed.error);
        throw new ContractError(
          'invalid-argument',
          issues.map((i) => `source.${i.path}: ${i.problem}`).join('; '),
          issues[0]?.fix,
        );
      }
      return connector.preview(parsed.data, {
        limit,
        ...(file !== undefined ? { file } : {}),
        ...(sample !== undefined ? { sample } : {}),
      });
    },
  };
}
