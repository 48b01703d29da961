// The JSONata engine, loaded when a mapping is first checked, compiled or previewed (most connections have none).
import type jsonataEngine from 'jsonata';
import { loadOnFirstUse } from '../shared/load-on-first-use.js';

export const jsonata = loadOnFirstUse<typeof jsonataEngine>('jsonata');
