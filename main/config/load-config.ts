// Reads, parses (JSON or YAML), migrates and validates a config file; every problem becomes a ConfigError.
import { readFile } from 'node:fs/promises';
import type { Document, LineCounter } from 'yaml';
import { yaml } from './yaml-module.js';
import { errorMessage } from '../shared/error-message.js';
import { configFormatOf } from './config-format.js';
import { ConfigError, fromZodError } from './errors.js';
import type { ConfigIssue } from './errors.js';
import { findInlineSecrets } from './inline-secrets.js';
import { findJsonSyntaxError } from './json-syntax-error.js';
import { configMigrations, migrateRawConfig } from './migrations.js';
import { agentConfigSchema, currentConfigVersion } from './schema.js';
import type { AgentConfig } from './schema.js';

export interface LoadedConfig {
  config: AgentConfig;
  /** The file's configVersion when it was older; the file itself is left as it was. */
  migratedFrom?: number;
}

export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  return validateConfig(parseConfigText(await readConfigText(file), file), file);
}

export async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [readIssue(error)]);
  }
}

/** Parses by extension: .json as JSON, .yaml/.yml as YAML. Syntax errors name line and column. */
export function parseConfigText(text: string, file: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return configFormatOf(file) === 'json' ? parseJson(body, file) : parseYaml(body, file);
}

/** Migrates, rejects inline secrets and applies the schema (with defaults); reports all problems at once. */
export function validateConfig(raw: unknown, file: string): LoadedConfig {
  const { raw: migrated, migratedFrom } = migrateRawConfig(raw, configMigrations, currentConfigVersion, file);
  const secretIssues = findInlineSecrets(migrated).map(inlineSecretIssue);
  const parsed = agentConfigSchema.safeParse(migrated, { reportInput: true });
  const secretPaths = new Set(secretIssues.map((issue) => issue.path));
  const schemaIssues = parsed.success ? [] : fromZodError(file, parsed.error).issues;
  const issues = [...secretIssues, ...schemaIssues.filter((issue) => !secretPaths.has(issue.path))];
  if (!parsed.success || issues.length > 0) throw new ConfigError(file, issues);
  return migratedFrom === undefined ? { config: parsed.data } : { config: parsed.data, migratedFrom };
}

function inlineSecretIssue(path: string): ConfigIssue {
  return {
    path,
    problem: 'contains an inline secret; secrets are never stored in the config file',
    fix: `store the value in the agent's secret store under a name and write { "secretRef": "<name>" } here instead`,
  };
}

function readIssue(error: unknown): ConfigIssue {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return {
      path: '(root)',
      problem: 'the file does not exist',
      fix: 'create it, or start without --config to run the built-in sandbox',
    };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      path: '(root)',
      problem: 'the agent is not allowed to read the file (permission denied)',
      fix: 'give the account that runs the agent read access to the file',
    };
  }
  if (code === 'EISDIR') {
    return { path: '(root)', problem: 'is a folder, not a file', fix: 'point at the config file itself' };
  }
  const reason = code ?? errorMessage(error);
  return {
    path: '(root)',
    problem: `the file could not be read (${reason})`,
    fix: 'check the path and the disk',
  };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const where = findJsonSyntaxError(text);
    if (where === undefined) throw error;
    const at = `line ${where.line}, column ${where.column}`;
    throw new ConfigError(file, [
      {
        path: '(root)',
        problem: `JSON syntax error at ${at}: ${where.message}`,
        fix: `correct the JSON at ${at}`,
      },
    ]);
  }
}

function parseYaml(text: string, file: string): unknown {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        const at = `line ${line}, column ${col}`;
        return {
          path: '(root)',
          problem: `YAML syntax error at ${at}: ${error.message}`,
          fix: `correct the YAML at ${at} (indent with spaces, not tabs, and close every quote and bracket)`,
        };
      }),
    );
  }
  const complexKey = complexKeyIssue(doc, lineCounter);
  if (complexKey) throw new ConfigError(file, [complexKey]);
  try {
    return doc.toJS() as unknown;
  } catch (error) {
    const reason = errorMessage(error);
    throw new ConfigError(file, [
      {
        path: '(root)',
        problem: `the YAML could not be read: ${reason}`,
        fix: 'simplify the anchors and aliases',
      },
    ]);
  }
}

/** A mapping key that is a list, mapping or tagged value (`? [a, b]: x`, `!!binary :`, an alias of one): no config key is. */
function complexKeyIssue(doc: Document, lineCounter: LineCounter): ConfigIssue | undefined {
  const { isAlias, isCollection, isScalar, visit } = yaml();
  let issue: ConfigIssue | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      const objectValue = isScalar(key) && typeof key.value === 'object' && key.value !== null;
      if (!isCollection(key) && !objectValue) return undefined;
      const { line, col } = lineCounter.linePos((pair.key as typeof key).range?.[0] ?? 0);
      const at = `line ${line}, column ${col}`;
      issue = {
        path: '(root)',
        problem: `YAML syntax error at ${at}: a key is a list, mapping or tagged value, not a name`,
        fix: `correct the YAML at ${at}: keys are plain names such as "source:" (quote a key that contains { [ or ,)`,
      };
      return visit.BREAK;
    },
  });
  return issue;
}
