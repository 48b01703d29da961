// JSON Schema of the config file (input side: defaults shown, optional where defaulted) for editors and docs.
import { z } from 'zod';
import { agentConfigSchema, currentConfigVersion } from './schema.js';

export function configJsonSchema(): z.core.JSONSchema.BaseSchema {
  const { $schema, ...rest } = z.toJSONSchema(agentConfigSchema, { io: 'input' });
  return {
    $schema,
    $id: `urn:integration-agent:config:v${currentConfigVersion}`,
    title: `Integration agent config (version ${currentConfigVersion})`,
    ...rest,
  };
}
