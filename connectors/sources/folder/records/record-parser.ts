// The shape every format parser has: fed decoded text chunk by chunk, it reports records into the ParseContext.

export interface RecordParser {
  /** Parses as much of `text` (appended to what is pending) as forms complete records. */
  write(text: string): void;
  /** The file ended: parse what is pending, or report it as truncated. */
  end(): void;
}
