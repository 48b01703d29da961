// The exported JSON Schema describes the config file's input shape.
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../../main/config/json-schema.js';

describe('configJsonSchema', () => {
  it('is a closed object schema with an id, title and the top-level settings', () => {
    const schema = configJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('urn:integration-agent:config:v1');
    expect(schema.title).toContain('config');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties ?? {})).toEqual(
      expect.arrayContaining(['configVersion', 'dataDir', 'outbox', 'logging', 'connections', 'sandbox']),
    );
    expect(schema.required).toEqual(['configVersion']);
  });

  it('describes connections as a list of source/destination objects with input-side defaults', () => {
    const schema = configJsonSchema();
    const connections = schema.properties?.['connections'] as Record<string, unknown>;
    expect(connections['type']).toBe('array');
    expect(connections['default']).toEqual([]);
    const item = connections['items'] as { properties: Record<string, unknown>; required: string[] };
    expect(item.required).toEqual(['id', 'source', 'destination']);
    expect(Object.keys(item.properties)).toEqual([
      'id',
      'name',
      'enabled',
      'source',
      'destination',
      'mapping',
      'contract',
    ]);
    expect(JSON.stringify(schema)).toContain('"secretRef"');
  });

  it('is plain JSON', () => {
    const schema = configJsonSchema();
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
