// The connector forms the wizard offers, found by folder convention: every connectors/<kind>s/<name>/form.ts.
import type { ConnectorForm, ConnectorForms } from '../../../connectors/core/connector-form.js';

const modules = import.meta.glob<ConnectorForms>('../../../connectors/{sources,destinations}/*/form.ts', {
  eager: true,
  import: 'connectorForms',
});

const all = Object.values(modules)
  .flat()
  .sort((a, b) => a.order - b.order);

export const sourceForms: readonly ConnectorForm[] = all.filter((form) => form.kind === 'source');
export const destinationForms: readonly ConnectorForm[] = all.filter((form) => form.kind === 'destination');
