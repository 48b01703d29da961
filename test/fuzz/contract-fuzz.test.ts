// Fuzz: contract arguments (every method, any value a transport can carry) and CLI arguments end in a call or a clear refusal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentBackend } from '../../main/api/agent-backend.js';
import { createAgentHandlers } from '../../main/api/agent-handlers.js';
import { ContractError } from '../../main/api/contract-error.js';
import { CliError } from '../../main/commands/cli-error.js';
import { parseIds } from '../../main/commands/dlq-arguments.js';
import { SecretStoreError } from '../../main/secrets/errors.js';
import { assertSecretName } from '../../main/secrets/secret-name.js';
import { agentMethodNames, agentMethods } from '../../preload/contract/api.js';
import { fuzzParameters, hostileText } from './fuzz-budget.js';

/** A backend that answers every call with an empty object (results are not validated here). */
const backend = new Proxy({} as AgentBackend, {
  get(_target, property) {
    if (property === 'adminPassphraseSet') return () => Promise.resolve(true);
    if (property === 'verifyAdminPassphrase') return () => Promise.resolve(false);
    if (property === 'subscribe') return () => () => undefined;
    return () => ({});
  },
});
const handlers = createAgentHandlers(backend);

/** Values as JSON (console) or structured clone (desktop IPC) deliver them, odd prototypes and all. */
const anyValue = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  key: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('__proto__', 'constructor', 'id', 'ids', 'connection', 'limit', 'name', 'value'),
  ),
});

/** Arguments near the real shapes, so the fuzzer also gets past the first check of each schema. */
const nearArgs = fc.dictionary(
  fc.constantFrom(
    'id',
    'ids',
    'connection',
    'limit',
    'afterId',
    'query',
    'name',
    'value',
    'passphrase',
    'level',
    'logLevel',
  ),
  fc.oneof(
    fc.string({ maxLength: 70 }),
    fc.integer(),
    fc.double(),
    fc.array(fc.integer(), { maxLength: 3 }),
    anyValue,
  ),
);

/** A deeply nested object: a schema walking it recursively must refuse it, not overflow the stack. */
const deep = fc.integer({ min: 100, max: 20_000 }).map((depth) => {
  let value: unknown = {};
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return { connection: value };
});

async function callOrRefusal(method: string, args: unknown, role: 'admin' | 'viewer'): Promise<void> {
  try {
    await handlers.call(method, args, { role });
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).message.length).toBeGreaterThan(0);
  }
}

describe('fuzz: contract arguments', () => {
  it('every method with any arguments and role is called or refused with a ContractError', async () => {
    const method = fc.oneof(
      fc.constantFrom(...agentMethodNames),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('__proto__', 'toString', 'constructor'),
    );
    await fc.assert(
      fc.asyncProperty(
        method,
        fc.oneof(anyValue, nearArgs, deep),
        fc.constantFrom<'admin' | 'viewer'>('admin', 'viewer'),
        callOrRefusal,
      ),
      fuzzParameters(500),
    );
  });

  it('every argument schema parses any value without throwing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...agentMethodNames), fc.oneof(anyValue, nearArgs), (method, args) => {
        expect(typeof agentMethods[method].args.safeParse(args).success).toBe('boolean');
      }),
      fuzzParameters(500),
    );
  });
});

describe('fuzz: CLI arguments', () => {
  it('record ids: any strings are positive safe integers or a CliError naming the bad one', () => {
    const id = fc.oneof(
      fc.nat().map(String),
      hostileText(['1', '0', '-', '+', 'e', '.', 'x', ' ', '9007199254740993', '0x1', '١']),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 5 }), (values) => {
        try {
          for (const n of parseIds(values)) {
            expect(Number.isSafeInteger(n) && n > 0).toBe(true);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(CliError);
          expect((error as Error).message).toMatch(/is not a record id/);
        }
      }),
      fuzzParameters(400),
    );
  });

  it('secret names: any string is accepted or refused with a SecretStoreError and a fix', () => {
    fc.assert(
      fc.property(hostileText(['a', 'Z', '0', '.', '_', '-', '/', ' ', '$', '`', '\n', 'é']), (name) => {
        try {
          assertSecretName(name);
          expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);
        } catch (error) {
          expect(error).toBeInstanceOf(SecretStoreError);
        }
      }),
      fuzzParameters(400),
    );
  });
});
