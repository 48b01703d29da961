// Mapping config checked when the file is loaded: the expression parses, versions are unique, rules are valid.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../main/config/errors.js';
import { validateConfig } from '../../../main/config/load-config.js';

const configWith = (
  mapping: unknown,
  source: Record<string, unknown> = { type: 'folder', path: '/srv/in' },
) => ({
  configVersion: 1,
  connections: [
    {
      id: 'c1',
      source,
      destination: { type: 'http', url: 'https://example.test/in' },
      ...(mapping === undefined ? {} : { mapping }),
    },
  ],
});

function problems(raw: unknown): string {
  try {
    validateConfig(raw, 'agent.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('mapping config', () => {
  it('accepts a mapping with conversions and history, and keeps it absent when not given', () => {
    const { config } = validateConfig(
      configWith({
        version: 2,
        expression: '{ "amount": Betrag }',
        filter: "Status != 'storniert'",
        convert: {
          Betrag: { type: 'number', locale: 'de-DE' },
          At: { type: 'datetime', format: 'dd.MM.yyyy HH:mm', zone: 'Europe/Berlin' },
        },
        history: [{ version: 1, expression: '$', note: 'sent raw rows' }],
      }),
      'agent.yaml',
    );
    expect(config.connections[0]?.mapping?.version).toBe(2);
    expect(config.connections[0]?.mapping?.convert?.['Betrag']).toEqual({
      type: 'number',
      locale: 'de-DE',
      required: false,
    });
    const { config: plain } = validateConfig(configWith(undefined), 'agent.yaml');
    expect(plain.connections[0]).not.toHaveProperty('mapping');
  });

  it('names the position of a JSONata syntax error and how to fix it', () => {
    const message = problems(configWith({ version: 1, expression: '{ "amount": Betrag + }' }));
    expect(message).toContain(
      'connections[0].mapping.expression: the expression does not parse at position 22',
    );
    expect(message).toContain('cannot be used as a unary operator');
    expect(message).toContain('Fix: correct the JSONata near that position');
    expect(problems(configWith({ version: 1, expression: '$', filter: 'Status = ' }))).toContain(
      'connections[0].mapping.filter: the filter does not parse at position',
    );
  });

  it('refuses a version used twice, and a history newer than the active mapping', () => {
    expect(
      problems(configWith({ version: 2, expression: '$', history: [{ version: 2, expression: 'a' }] })),
    ).toContain(
      'connections[0].mapping.history[0].version: version 2 is used twice. Fix: give every mapping version its own number',
    );
    expect(
      problems(configWith({ version: 1, expression: '$', history: [{ version: 3, expression: 'a' }] })),
    ).toContain('the history holds version 3, newer than the active version 1');
    expect(problems(configWith({ version: 0, expression: '$' }))).toContain('connections[0].mapping.version');
  });

  it('refuses unknown locales and time zones, and mappings on sources that cannot run them', () => {
    expect(
      problems(
        configWith({ version: 1, expression: '$', convert: { a: { type: 'number', locale: 'xx_YY!' } } }),
      ),
    ).toContain('connections[0].mapping.convert.a.locale: is not a locale this agent knows');
    expect(
      problems(
        configWith({
          version: 1,
          expression: '$',
          convert: { a: { type: 'datetime', format: 'HH:mm', zone: 'Mars/Base' } },
        }),
      ),
    ).toContain('connections[0].mapping.convert.a.zone: is not a time zone');
  });

  it('accepts a mapping on a database source', () => {
    const { config } = validateConfig(
      configWith(
        { version: 1, expression: '{ "no": invoice_no }' },
        { type: 'sqlite', file: '/srv/db.sqlite', table: 'orders', primaryKey: ['id'] },
      ),
      'agent.yaml',
    );
    expect(config.connections[0]?.mapping?.expression).toBe('{ "no": invoice_no }');
  });

  it('refuses a contract without a mapping', () => {
    const raw = configWith(undefined);
    const connection = raw.connections[0] as Record<string, unknown>;
    connection['contract'] = { schemaFile: '/srv/invoice.schema.json' };
    expect(problems(raw)).toContain(
      'connections[0].contract: a contract checks what the mapping made, and this connection has no mapping',
    );
  });
});
