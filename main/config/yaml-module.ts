// The yaml package, loaded when a YAML config or contract is first read or written (a sandbox agent never is).
import type * as Yaml from 'yaml';
import { loadOnFirstUse } from '../shared/load-on-first-use.js';

export const yaml = loadOnFirstUse<typeof Yaml>('yaml');
