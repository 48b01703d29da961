// The draft's fields: JSONata expression, filter and convert rules, each with the agent's problem shown at it.
import type { FieldProblem } from '../../../preload/contract/mapping.js';
import { FormField } from '../common/form-field.js';
import type { DraftText } from './mapping-draft.js';

/** The first draft problem of `field` ("convert" also takes "convert.Betrag.locale"). */
const problemAt = (problems: readonly FieldProblem[], field: string) =>
  problems.find((p) => p.side === 'draft' && (p.at === field || p.at.startsWith(`${field}.`)));

export function MappingFields({
  draft,
  problems,
  convertProblem,
  onChange,
}: {
  draft: DraftText;
  problems: readonly FieldProblem[];
  convertProblem?: string;
  onChange: (draft: DraftText) => void;
}) {
  const convert = problemAt(problems, 'convert');
  const convertError =
    convertProblem ??
    (convert ? `${convert.at.replace(/^convert\.?/, '') || 'convert'}: ${convert.message}` : undefined);
  return (
    <fieldset>
      <legend>Mapping</legend>
      <FormField
        label="Expression (JSONata)"
        help='Builds the payload from the record, e.g. { "invoiceNo": Rechnungsnr, "amount": Betrag }; $ sends it as captured'
        error={problemAt(problems, 'expression')?.message}
      >
        {(p) => (
          <textarea
            {...p}
            className="code"
            rows={8}
            spellCheck={false}
            value={draft.expression}
            onChange={(e) => onChange({ ...draft, expression: e.target.value })}
          />
        )}
      </FormField>
      <FormField
        label="Filter (optional)"
        help="JSONata condition; records for which it is false are skipped (counted), e.g. Status != 'storniert'"
        error={problemAt(problems, 'filter')?.message}
      >
        {(p) => (
          <input
            {...p}
            className="code"
            spellCheck={false}
            value={draft.filter}
            onChange={(e) => onChange({ ...draft, filter: e.target.value })}
          />
        )}
      </FormField>
      <FormField
        label="Conversions (optional, JSON)"
        help='Typed conversions of source fields before the expression, e.g. { "Betrag": { "type": "number", "locale": "de-DE" } }'
        error={convertError}
      >
        {(p) => (
          <textarea
            {...p}
            className="code"
            rows={4}
            spellCheck={false}
            value={draft.convert}
            onChange={(e) => onChange({ ...draft, convert: e.target.value })}
          />
        )}
      </FormField>
    </fieldset>
  );
}
