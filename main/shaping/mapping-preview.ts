// The mapping editor's live preview: a draft mapping run on sample records, under limits, with problems at the field.
import { jsonata } from '../config/jsonata-module.js';
import type { z } from 'zod';
import { mappingSchema, type MappingConfig } from '../config/mapping-config.js';
import { compileMapping } from './compile-mapping.js';
import type { ContractCheck } from './contract-check.js';
import { fieldConversion, registerFunctions } from './mapping-functions.js';

/** A mapping as the editor holds it: everything but the version (saving gives it the next one). */
export type MappingDraft = Omit<z.input<typeof mappingSchema>, 'version' | 'history'>;

/** A problem shown at a field: of the draft (expression, filter, convert.X), the source record, or the payload. */
export interface FieldProblem {
  /** 'draft': a field of the editor; 'source': a JSON pointer into the sample; 'payload': one into the mapped payload. */
  side: 'draft' | 'source' | 'payload';
  /** The draft field ("expression", "convert.Betrag") or a JSON pointer ("/amount"). */
  at: string;
  message: string;
}

export interface PreviewOutcome {
  label: string;
  source: Record<string, unknown>;
  outcome: 'mapped' | 'skipped' | 'failed';
  /** The mapped payload, when it mapped. */
  payload?: unknown;
  /** 'none' when no contract is named, or the record did not map. */
  contract: 'pass' | 'fail' | 'none';
  reason?: string;
  problems: FieldProblem[];
}

export interface PreviewReport {
  version: number;
  /** Problems of the draft itself (an expression that does not parse, an unknown locale); no sample is run then. */
  draftProblems: FieldProblem[];
  results: PreviewOutcome[];
}

export interface PreviewLimits {
  /** Evaluation time of the filter or expression on one record. */
  timeoutMs: number;
  /** Nesting depth of one evaluation (a recursion that does not end). */
  stack: number;
  /** The longest sequence an evaluation may build ([1..100000000]). */
  sequence: number;
}

export const previewLimits: PreviewLimits = { timeoutMs: 500, stack: 200, sequence: 100_000 };

/** A mapped payload above this size is not sent back to the editor (the preview says how big it is). */
export const maxPreviewPayloadBytes = 65_536;

export interface PreviewSample {
  label: string;
  record: Record<string, unknown>;
}

/** "mapping v3: field Betrag: …", "…: contract: /amount: …": where a reason points, and the reason without its prefix. */
export function problemOf(reason: string): FieldProblem {
  const text = reason.replace(/^mapping v\d+: /, '');
  const contract = /^contract: (\/[^:]*): (.*)$/s.exec(text);
  if (contract)
    return {
      side: 'payload',
      at: contract[1] === '/' ? '' : (contract[1] ?? ''),
      message: contract[2] ?? text,
    };
  const field = /^field (.+?): (.*)$/s.exec(text);
  if (field) return { side: 'source', at: `/${escapePointer(field[1] ?? '')}`, message: field[2] ?? text };
  const where = /^(filter|expression)\b/.exec(text);
  return { side: 'draft', at: where?.[1] ?? 'expression', message: text };
}

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** The draft checked as a mapping version would be when the config loads; problems by field. */
function draftProblems(draft: MappingDraft, version: number): FieldProblem[] | MappingConfig {
  const parsed = mappingSchema.safeParse({ ...draft, version, history: [] });
  if (parsed.success) return parsed.data;
  return parsed.error.issues.map((issue) => ({
    side: 'draft',
    at: issue.path.map(String).join('.') || 'expression',
    message: issue.message,
  }));
}

/** A JSONata evaluation under the preview limits; rejects with its error (timeouts and depth included). */
async function guarded(text: string, input: unknown, limits: PreviewLimits): Promise<void> {
  const expression = jsonata()(text, {
    timeout: limits.timeoutMs,
    stack: limits.stack,
    sequence: limits.sequence,
  });
  registerFunctions(expression);
  await expression.evaluate(input);
}

/** The record as the filter and expression see it: conversions applied to a copy (undefined when one fails). */
function converted(
  mapping: MappingConfig,
  record: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const copy = { ...record };
  try {
    for (const [field, rule] of Object.entries(mapping.convert ?? {})) {
      if (field in copy || rule.required) copy[field] = fieldConversion(rule)(copy[field]);
    }
  } catch {
    return undefined; // the mapping itself reports the failed conversion
  }
  return copy;
}

/** Runs the filter and expression once under the limits; a limit hit is the sample's failure reason. */
async function limitProblem(
  mapping: MappingConfig,
  record: Record<string, unknown>,
  limits: PreviewLimits,
): Promise<string | undefined> {
  const input = converted(mapping, record);
  if (!input) return undefined;
  for (const [what, text] of [
    ['filter', mapping.filter],
    ['expression', mapping.expression],
  ] as const) {
    if (text === undefined) continue;
    const started = Date.now();
    try {
      await guarded(text, input, limits);
      // One built-in call ($pad with a huge width) runs without a check in between: its time counts too.
      if (Date.now() - started > limits.timeoutMs)
        return `${what}: stopped: one record took longer than ${limits.timeoutMs} ms`;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'D1011')
        return `${what}: stopped after ${limits.stack} nested steps (a recursion that does not end?)`;
      if (code === 'D1012')
        return `${what}: stopped after ${limits.timeoutMs} ms (a loop that does not end?)`;
      if (code === 'D2015')
        return `${what}: stopped: it builds a sequence longer than ${limits.sequence} items`;
      // Other errors: the mapping below reports them as the engine would.
    }
  }
  return undefined;
}

async function previewOne(
  sample: PreviewSample,
  mapping: MappingConfig,
  contract: ContractCheck | undefined,
  limits: PreviewLimits,
): Promise<PreviewOutcome> {
  const base = { label: sample.label, source: sample.record, contract: 'none' as const };
  const stopped = await limitProblem(mapping, sample.record, limits);
  if (stopped) {
    const reason = `mapping v${mapping.version}: ${stopped}`;
    return { ...base, outcome: 'failed', reason, problems: [problemOf(reason)] };
  }
  const mapper = compileMapping(mapping);
  const outcome = await mapper.map({
    payload: Buffer.from(JSON.stringify(sample.record)),
    contentType: 'application/json',
  });
  if (outcome.kind === 'skipped') return { ...base, outcome: 'skipped', problems: [] };
  if (outcome.kind === 'failed')
    return { ...base, outcome: 'failed', reason: outcome.reason, problems: [problemOf(outcome.reason)] };
  if (outcome.payload.length > maxPreviewPayloadBytes) {
    const reason = `mapping v${mapping.version}: expression: the payload is ${outcome.payload.length} bytes; the preview shows payloads up to ${maxPreviewPayloadBytes} bytes`;
    return { ...base, outcome: 'failed', reason, problems: [problemOf(reason)] };
  }
  const payload = JSON.parse(outcome.payload.toString('utf8')) as unknown;
  if (!contract) return { ...base, outcome: 'mapped', payload, problems: [] };
  const problem = contract(outcome.payload);
  if (!problem) return { ...base, outcome: 'mapped', payload, contract: 'pass', problems: [] };
  const reason = `mapping v${mapping.version}: ${problem}`;
  return { ...base, outcome: 'mapped', payload, contract: 'fail', reason, problems: [problemOf(reason)] };
}

/**
 * Runs the draft, as mapping `version`, on each sample, with the contract checked on what it makes: the same
 * conversions, filter, expression and contract check the engine uses, plus time, depth and size limits per record.
 */
export async function previewMapping(
  draft: MappingDraft,
  samples: readonly PreviewSample[],
  options: { version: number; contract?: ContractCheck; limits?: PreviewLimits },
): Promise<PreviewReport> {
  const mapping = draftProblems(draft, options.version);
  if (Array.isArray(mapping)) return { version: options.version, draftProblems: mapping, results: [] };
  const results: PreviewOutcome[] = [];
  for (const sample of samples)
    results.push(await previewOne(sample, mapping, options.contract, options.limits ?? previewLimits));
  return { version: options.version, draftProblems: [], results };
}
