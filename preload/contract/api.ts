// The one API contract between the UI and the agent: methods (role, argument and result schemas), events, AgentApi (browser-safe).
import { z } from 'zod';
import { auditPageArgsSchema, auditPageSchema } from './audit.js';
import { connectionTestSchema, doctorReportSchema } from './checks.js';
import { connectionViewSchema, removedConnectionSchema } from './connections.js';
import {
  agentEvents,
  logEventSchema,
  throughputSeriesSchema,
  type AgentEventName,
  type AgentEventPayload,
} from './events.js';
import {
  connectionConfigArgSchema,
  connectionIdSchema,
  limitSchema,
  passphraseSchema,
  recordIdSchema,
  recordIdsSchema,
  searchTextSchema,
  secretNameSchema,
  secretValueSchema,
} from './limits.js';
import {
  contractFileSchema,
  mappingDraftSchema,
  mappingSuggestionSchema,
  previewReportSchema,
  previewSampleSchema,
  savedMappingSchema,
  sourceSampleSchema,
} from './mapping.js';
import { deadLetterActionSchema, recordSummarySchema, recordTimelineSchema } from './records.js';
import { recordsPreviewArgsSchema, recordsPreviewSchema } from './records-preview.js';
import { logLevelSchema, settingsSchema, settingsUpdateSchema } from './settings.js';
import { agentStatusSchema } from './status.js';

export type Role = 'viewer' | 'admin';

export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** The least role that may call it: viewers read, admins change. */
  role: Role;
  args: A;
  result: R;
  summary: string;
  /** Why an admin method that changes nothing needs the role, for the forbidden message ("shows file contents"). */
  adminBecause?: string;
}

const method = <A extends z.ZodType, R extends z.ZodType>(
  role: Role,
  args: A,
  result: R,
  summary: string,
  adminBecause?: string,
): MethodSpec<A, R> => ({ role, args, result, summary, ...(adminBecause ? { adminBecause } : {}) });

/** For methods without arguments: `{}` or nothing at all. */
const noArgs = z.strictObject({}).optional();
const byId = z.strictObject({ id: connectionIdSchema });
const connectionArg = z.strictObject({ connection: connectionConfigArgSchema });
/** When an admin role lapses (epoch ms); the web console sends it, the desktop app's admin does not lapse. */
const adminUntilSchema = z.number().optional();
const sessionSchema = z.object({
  role: z.enum(['viewer', 'admin']),
  adminPassphraseSet: z.boolean(),
  adminUntil: adminUntilSchema,
});

export const agentMethods = {
  status: method(
    'viewer',
    noArgs,
    agentStatusSchema,
    'The status snapshot of the agent and every connection',
  ),
  session: method(
    'viewer',
    noArgs,
    sessionSchema,
    'The role of this session and whether admin unlock is set up',
  ),
  unlockAdmin: method(
    'viewer',
    z.strictObject({ passphrase: passphraseSchema }),
    z.object({ role: z.literal('admin') }),
    'Checks the admin passphrase; on success the transport raises this session to admin',
  ),
  lockAdmin: method(
    'viewer',
    noArgs,
    z.object({ role: z.literal('viewer') }),
    'Drops this session back to viewer',
  ),
  listConnections: method(
    'viewer',
    noArgs,
    z.object({ connections: z.array(connectionViewSchema) }),
    'Every configured connection with its config and live status',
  ),
  getConnection: method(
    'viewer',
    byId,
    connectionViewSchema,
    'One connection with its config and live status',
  ),
  testConnection: method(
    'admin',
    connectionArg,
    connectionTestSchema,
    'Tries a connection config without saving it: source reachability, then the network doctor on the destination',
    "uses the connection's credentials",
  ),
  addConnection: method(
    'admin',
    connectionArg,
    connectionViewSchema,
    'Validates, saves to the config file and starts a new connection',
  ),
  updateConnection: method(
    'admin',
    z.strictObject({ id: connectionIdSchema, connection: connectionConfigArgSchema }),
    connectionViewSchema,
    'Replaces a connection config (same id), saves it and restarts only that connection',
  ),
  removeConnection: method(
    'admin',
    byId,
    removedConnectionSchema,
    'Stops a connection and removes it from the config; its outbox records are kept',
  ),
  pauseConnection: method(
    'admin',
    byId,
    connectionViewSchema,
    'Stops capture and delivery of a connection until resumed (kept across restarts)',
  ),
  resumeConnection: method('admin', byId, connectionViewSchema, 'Resumes a paused connection'),
  searchRecords: method(
    'viewer',
    z.strictObject({
      query: searchTextSchema,
      connection: connectionIdSchema.optional(),
      limit: limitSchema(200, 50),
    }),
    z.object({ records: z.array(recordSummarySchema) }),
    'Records whose business key starts with the query, or whose idempotency key is the query',
  ),
  recordTimeline: method(
    'viewer',
    z.strictObject({ id: recordIdSchema }),
    recordTimelineSchema,
    'A record and everything that happened to it',
  ),
  listDeadLetters: method(
    'viewer',
    z.strictObject({
      connection: connectionIdSchema.optional(),
      afterId: recordIdSchema.optional(),
      limit: limitSchema(500, 100),
    }),
    z.object({ records: z.array(recordSummarySchema), nextAfterId: z.number().optional() }),
    'Dead letters, oldest first, of one connection or all; page with afterId = nextAfterId',
  ),
  replayDeadLetters: method(
    'admin',
    z.strictObject({ ids: recordIdsSchema }),
    deadLetterActionSchema,
    'Queues dead letters again with their original idempotency key',
  ),
  discardDeadLetters: method(
    'admin',
    z.strictObject({ ids: recordIdsSchema }),
    deadLetterActionSchema,
    'Gives up on dead letters for good',
  ),
  previewDiagnostics: method(
    'admin',
    noArgs,
    z.object({
      files: z.array(
        z.object({ name: z.string(), bytes: z.number(), sha256: z.string(), sample: z.string() }),
      ),
      totalBytes: z.number(),
    }),
    'What a diagnostic bundle would contain, redacted, before exporting it',
    'shows support data of every connection',
  ),
  exportDiagnostics: method(
    'admin',
    noArgs,
    z.object({ path: z.string(), fileName: z.string(), totalBytes: z.number() }),
    'Writes a redacted diagnostic bundle (zip) into the data directory and says where',
  ),
  getSettings: method('viewer', noArgs, settingsSchema, 'Agent-wide settings (data dir read-only)'),
  updateSettings: method(
    'admin',
    settingsUpdateSchema,
    settingsSchema,
    'Changes settings in the config file and applies them',
  ),
  setSecret: method(
    'admin',
    z.strictObject({ name: secretNameSchema, value: secretValueSchema }),
    z.object({ name: z.string(), replaced: z.boolean() }),
    'Stores a secret in the secret store (the value never comes back)',
  ),
  deleteSecret: method(
    'admin',
    z.strictObject({ name: secretNameSchema }),
    z.object({ name: z.string(), deleted: z.boolean() }),
    'Removes a secret from the secret store',
  ),
  listSecretNames: method(
    'viewer',
    noArgs,
    z.object({ names: z.array(z.string()), store: z.string() }),
    'Names of the stored secrets, never their values',
  ),
  recentLogs: method(
    'viewer',
    z.strictObject({
      connection: connectionIdSchema.optional(),
      level: logLevelSchema.optional(),
      limit: limitSchema(1000, 200),
    }),
    z.object({ events: z.array(logEventSchema) }),
    'Recent log events, newest last; level is the minimum level',
  ),
  throughput: method(
    'viewer',
    z.strictObject({ connection: connectionIdSchema.optional() }).optional(),
    z.object({ series: z.array(throughputSeriesSchema) }),
    'Captured / delivered / failed per minute and connection over the last 60 minutes',
  ),
  listAuditLog: method(
    'viewer',
    auditPageArgsSchema,
    auditPageSchema,
    'Admin changes and agent actions, newest first: actor, time, action, target (secret names, never values); page with beforeId = nextBeforeId',
  ),
  rotateDataKey: method(
    'admin',
    z.strictObject({ connection: connectionIdSchema }),
    z.object({ connection: z.string(), started: z.literal(true) }),
    "Rotates a connection's outbox data key (outbox.encryption): new records use the new key at once, stored ones are re-encrypted in the background, then the old key is removed",
  ),
  runDoctor: method(
    'admin',
    z.strictObject({ connection: connectionIdSchema }),
    doctorReportSchema,
    "Network checks of a connection's destination (DNS, TCP, proxy, TLS, clock, auth); admin only, as it sends the connection's credentials",
    "sends the connection's credentials",
  ),
  sourceSamples: method(
    'admin',
    z.strictObject({ connection: connectionIdSchema, limit: limitSchema(20, 10) }),
    z.object({ samples: z.array(sourceSampleSchema) }),
    'Recent records of a connection whose stored payload is the captured source data (admin only: it shows payloads)',
    'shows captured payloads',
  ),
  previewMapping: method(
    'admin',
    z.strictObject({
      connection: connectionIdSchema.optional(),
      contractFile: contractFileSchema.optional(),
      mapping: mappingDraftSchema,
      sample: previewSampleSchema,
    }),
    previewReportSchema,
    "Runs a draft mapping on sample records (pasted, or stored records by id) and checks the result against the connection's contract (or contractFile); nothing is saved",
    'shows captured payloads',
  ),
  suggestMapping: method(
    'admin',
    z.strictObject({
      connection: connectionIdSchema.optional(),
      contractFile: contractFileSchema.optional(),
      sample: previewSampleSchema,
    }),
    mappingSuggestionSchema,
    "A starting mapping from the sample's column names and the contract's properties (name similarity), to confirm or edit",
    'reads captured payloads',
  ),
  previewRecords: method(
    'admin',
    recordsPreviewArgsSchema,
    recordsPreviewSchema,
    "The wizard's records preview: the first records of a file of the folder (or a pasted sample) as capture would parse them, with columns, counts and rejected rows; nothing is saved (admin only: it shows file contents)",
    'shows file contents',
  ),
  saveMapping: method(
    'admin',
    z.strictObject({
      connection: connectionIdSchema,
      mapping: mappingDraftSchema,
      note: z.string().max(500).optional(),
      /** The version the edit started from: the save is refused when someone saved another one meanwhile. */
      basedOnVersion: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    }),
    savedMappingSchema,
    'Saves the mapping as a new version (the active one moves to history with the note) and restarts the connection',
  ),
} as const;

export type AgentMethods = typeof agentMethods;
export type AgentMethodName = keyof AgentMethods;
export type MethodArgs<M extends AgentMethodName> = z.input<AgentMethods[M]['args']>;
export type MethodResult<M extends AgentMethodName> = z.output<AgentMethods[M]['result']>;

/** Methods whose arguments may be left out take an optional parameter. */
type MethodFunction<M extends AgentMethodName> =
  undefined extends MethodArgs<M>
    ? (args?: MethodArgs<M>) => Promise<MethodResult<M>>
    : (args: MethodArgs<M>) => Promise<MethodResult<M>>;

/** What window.agent (Electron preload) and the web console client both provide. Calls reject with a ContractErrorShape. */
export type AgentApi = { [M in AgentMethodName]: MethodFunction<M> } & {
  on<E extends AgentEventName>(event: E, listener: (payload: AgentEventPayload<E>) => void): () => void;
};

export const agentMethodNames = Object.keys(agentMethods) as AgentMethodName[];

export function isAgentMethod(name: unknown): name is AgentMethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(agentMethods, name);
}

export function isAgentEvent(name: unknown): name is AgentEventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(agentEvents, name);
}

export { agentEvents };
export type { AgentEventName, AgentEventPayload };
export type { ContractErrorCode, ContractErrorShape } from './errors.js';
export type { AuditEntryView } from './audit.js';
export { contractErrorSchema, contractErrorCodes, isContractErrorShape } from './errors.js';
