// The renderer's view of the agent API: the preload contract's types, under the names the pages use.
import type { AgentApi, MethodResult, Role } from '../../preload/contract/api.js';
import type { LogEvent } from '../../preload/contract/events.js';

export type { AgentApi, LogEvent, Role };
export type { CheckResult } from '../../preload/contract/checks.js';
export type { ConnectionView } from '../../preload/contract/connections.js';
export type { ThroughputSeries } from '../../preload/contract/events.js';
export type { RecordSummary, TimelineEvent } from '../../preload/contract/records.js';
export type { Settings, SettingsUpdate } from '../../preload/contract/settings.js';
export type LogLevel = LogEvent['level'];
export type DoctorReport = MethodResult<'runDoctor'>;
export type DiagnosticsPreview = MethodResult<'previewDiagnostics'>;
