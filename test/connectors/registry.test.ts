// The registry is the one list of connectors: config unions, lookups and labels follow it.
import { describe, expect, it } from 'vitest';
import {
  destinationConnectors,
  findDestinationConnector,
  findSourceConnector,
  sourceConnectors,
} from '../../connectors/registry.js';
import { ConfigError } from '../../main/config/errors.js';
import { validateConfig } from '../../main/config/load-config.js';

describe('connector registry', () => {
  it('lists each type once, with a title and a schema for that type', () => {
    for (const list of [sourceConnectors, destinationConnectors]) {
      const types = list.map((c) => c.type);
      expect(new Set(types).size).toBe(types.length);
      for (const connector of list) {
        expect(connector.title.length).toBeGreaterThan(0);
        const parsed = connector.schema.safeParse({ type: 'surely-not-this-type' });
        expect(parsed.success).toBe(false);
      }
    }
    expect(findSourceConnector('folder')?.kind).toBe('source');
    expect(findDestinationConnector('http')?.kind).toBe('destination');
    expect(findDestinationConnector('folder')).toBeUndefined();
  });

  it('the config refuses an unregistered destination type and names every registered one in the fix', () => {
    const raw = {
      configVersion: 1,
      connections: [
        {
          id: 'a',
          source: { type: 'folder', path: '/srv/in' },
          destination: { type: 'ftp', url: 'ftp://x' },
        },
      ],
    };
    let error: unknown;
    try {
      validateConfig(raw, 'agent.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).issues.find((e) => e.path === 'connections[0].destination.type');
    expect(problem?.problem).toContain('"ftp" is not a known type');
    for (const type of destinationConnectors.map((c) => c.type)) expect(problem?.fix).toContain(type);
  });
});
