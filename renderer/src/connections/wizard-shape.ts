// The wizard's Shape step state: send as captured (the default) or shape with a first mapping and an optional contract.
import type { JsonObject } from '../../../connectors/core/connector-form.js';
import { contractFileSchema } from '../../../preload/contract/mapping.js';
import { draftArg, emptyDraft, type DraftText } from '../mapping/mapping-draft.js';

export interface ShapeState {
  mode: 'captured' | 'mapping';
  draft: DraftText;
  contractFile: string;
}

export const capturedShape: ShapeState = { mode: 'captured', draft: emptyDraft, contractFile: '' };

/** Problems of the Shape step, by field ('expression', 'convert', 'contractFile'). */
export function shapeProblems(shape: ShapeState): Record<string, string> {
  if (shape.mode === 'captured') return {};
  const problems: Record<string, string> = {};
  if (shape.draft.expression.trim() === '')
    problems.expression = 'is required (use $ to send records as they are)';
  const arg = draftArg(shape.draft);
  if ('convertProblem' in arg) problems.convert = arg.convertProblem;
  if (shape.contractFile.trim() !== '') {
    const file = contractFileSchema.safeParse(shape.contractFile.trim());
    if (!file.success) problems.contractFile = file.error.issues[0]?.message ?? 'is invalid';
  }
  return problems;
}

/** The connection config with the Shape step's first mapping (version 1) and contract; as captured: unchanged. */
export function withShape(config: JsonObject, shape: ShapeState): JsonObject {
  if (shape.mode === 'captured') return config;
  const arg = draftArg(shape.draft);
  if (!('mapping' in arg)) return config;
  const contractFile = shape.contractFile.trim();
  return {
    ...config,
    mapping: { version: 1, ...arg.mapping },
    ...(contractFile ? { contract: { schemaFile: contractFile } } : {}),
  };
}
