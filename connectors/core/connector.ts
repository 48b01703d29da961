// The connector definition: what the registry knows about one source or destination type, and how the core drives it.
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { DoctorCheck, DoctorReport } from '../../preload/contract/doctor.js';
import type { RecordsPreview } from '../../preload/contract/records-preview.js';
import type { ProxySettings } from '../../preload/contract/settings.js';
import type { DeliveryPolicyConfig } from './delivery-policy-config.js';
import type { Destination } from './destination.js';
import type { SecretResolver } from './secret-ref.js';
import type { Source } from './source.js';

/** What the engine hands a connector when it builds one: the connection's prefetched secrets and its logger. */
export interface BuildContext {
  secrets: SecretResolver;
  logger: Logger;
}

/** How long each network step of a check may take unless the caller says otherwise. */
export const defaultCheckTimeoutMs = 10_000;

/** Options of "Test connection" and the network doctor. */
export interface CheckOptions {
  /** Secrets the config references; may throw for missing ones (a check then fails saying which). */
  secrets: SecretResolver;
  /** Limit of each network step. */
  timeoutMs: number;
  /** Connection id, shown in the report. */
  connection?: string;
  /** Send a harmless real request (empty batch, synthetic key) instead of a probe that changes nothing. */
  dryRun?: boolean;
  /** SHA-256 fingerprints of which one must be in the TLS chain (else TLS counts as intercepted). */
  expectedIssuerSha256?: string[];
  /** Environment for proxy settings taken from the environment (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The connection's contract document fetched from a URL, with its pinned SHA-256: the doctor checks it still matches. */
  contractDocument?: { url: string; sha256: string };
}

/** What the wizard's records preview asks a source for: a file of its own, or pasted text, parsed as it would be. */
export interface PreviewOptions {
  /** A file the previous preview listed; else the newest file that matches. */
  file?: string;
  /** Pasted text to parse instead of a file. */
  sample?: string;
  /** At most this many records (and rejected rows) to return. */
  limit: number;
}

/** The leaf certificate a destination presents, for the "certificate expiring" alert. */
export interface CertificateFacts {
  subject: string;
  /** Milliseconds since epoch. */
  notAfter: number;
}

/** The network block of the settings page (proxy, extra CA), for destinations that have one. */
export interface NetworkSettings<C> {
  read(config: C): { proxy: ProxySettings; extraCaFile: string | null };
  /** Writes the update into the destination's raw config object (the file's form); the schema validates after. */
  write(rawDestination: Record<string, unknown>, update: NetworkUpdate): void;
}

export interface NetworkUpdate {
  proxy?: Omit<ProxySettings, 'noProxy'> & { noProxy?: string[] };
  extraCaFile?: string | null;
}

/** A config schema whose output names its connector type. */
export type ConfigSchema<C extends { type: string } = { type: string }> = z.ZodType<C, unknown>;

interface ConnectorBase<S extends ConfigSchema> {
  readonly type: z.output<S>['type'];
  /** The type's name in the UI and the CLI, e.g. "HTTP API", "Folder". */
  readonly title: string;
  /** Config schema (browser-safe zod): the config file, the CLI and the wizard validate with it. */
  readonly schema: S;
  /** One line naming a configured instance, without secrets, e.g. "folder /srv/exports". */
  label(config: z.output<S>): string;
}

export interface SourceConnector<S extends ConfigSchema = ConfigSchema> extends ConnectorBase<S> {
  readonly kind: 'source';
  create(config: z.output<S>, context: BuildContext): Source;
  /** "Test connection": can the agent read this source? */
  check(config: z.output<S>, options: CheckOptions): Promise<DoctorCheck[]>;
  /** The wizard's records preview: the first records as capture would read them (absent: no preview). */
  preview?(config: z.output<S>, options: PreviewOptions): Promise<RecordsPreview>;
}

export interface DestinationCapabilities {
  /** Sends many records at once when the config asks for batches. */
  batching: boolean;
  /** Most sends in flight at once whatever the config says (e.g. a broker's receive maximum). */
  maxConcurrency?: number;
}

/** Destination configs carry the core's delivery policy (concurrency, retry, circuit breaker…) beside their own fields. */
export type DestinationSchema = ConfigSchema<{ type: string } & DeliveryPolicyConfig>;

export interface DestinationConnector<
  S extends DestinationSchema = DestinationSchema,
> extends ConnectorBase<S> {
  readonly kind: 'destination';
  readonly capabilities: DestinationCapabilities;
  create(config: z.output<S>, context: BuildContext): Destination;
  /** "Test connection" and `doctor`: every step of the path to the receiver, each with a fix. */
  check(config: z.output<S>, options: CheckOptions): Promise<DoctorReport>;
  /** The certificates the receiver presents, for the expiry alert (absent: nothing to watch). */
  certificates?(config: z.output<S>, options: CheckOptions): Promise<CertificateFacts[]>;
  readonly network?: NetworkSettings<z.output<S>>;
}

/** Checks a definition's shape at compile time and keeps its schema's type. */
export function defineSource<S extends ConfigSchema>(connector: SourceConnector<S>): SourceConnector<S> {
  return connector;
}

export function defineDestination<S extends DestinationSchema>(
  connector: DestinationConnector<S>,
): DestinationConnector<S> {
  return connector;
}
