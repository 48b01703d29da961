// The mapping editor's state: the draft as the admin types it (convert as JSON text) and its form for the agent.
import type { JsonObject } from '../../../preload/contract/json-value.js';

export interface DraftText {
  expression: string;
  filter: string;
  /** The convert rules as JSON text ({ "Betrag": { "type": "number", "locale": "de-DE" } }); '' for none. */
  convert: string;
}

export const emptyDraft: DraftText = { expression: '$', filter: '', convert: '' };

const objectOf = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The editor's text of a saved mapping (a connection's config.mapping), or the default for none. */
export function draftFromConfig(mapping: unknown): DraftText {
  const m = objectOf(mapping);
  if (!m || typeof m.expression !== 'string') return emptyDraft;
  const convert = objectOf(m.convert);
  return {
    expression: m.expression,
    filter: typeof m.filter === 'string' ? m.filter : '',
    convert: convert && Object.keys(convert).length > 0 ? JSON.stringify(convert, null, 2) : '',
  };
}

/** The draft as the agent takes it, or the problem of the convert text (shown at that field). */
export function draftArg(draft: DraftText): { mapping: JsonObject } | { convertProblem: string } {
  let convert: unknown;
  if (draft.convert.trim() !== '') {
    try {
      convert = JSON.parse(draft.convert);
    } catch (error) {
      return { convertProblem: `is not JSON: ${(error as Error).message}` };
    }
    if (!objectOf(convert))
      return {
        convertProblem: 'must be a JSON object of field → rule, e.g. { "Betrag": { "type": "number" } }',
      };
  }
  return {
    mapping: {
      expression: draft.expression,
      ...(draft.filter.trim() !== '' ? { filter: draft.filter } : {}),
      ...(convert ? { convert: convert as JsonObject } : {}),
    },
  };
}

/** The version a saved mapping has (0 without one). */
export function versionOf(mapping: unknown): number {
  const version = objectOf(mapping)?.version;
  return typeof version === 'number' ? version : 0;
}
