// Tells the config file format (JSON or YAML) from the file name's extension.
import { extname } from 'node:path';
import { ConfigError } from './errors.js';

export type ConfigFormat = 'json' | 'yaml';

export function configFormatOf(file: string): ConfigFormat {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  throw new ConfigError(file, [
    {
      path: '(root)',
      problem: `the file extension "${extension || '(none)'}" is not a config format this agent reads`,
      fix: 'name the file with .yaml, .yml or .json to match its contents',
    },
  ]);
}
