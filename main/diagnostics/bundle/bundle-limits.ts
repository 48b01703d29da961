// The support bundle's default size and time limits (also shown in `diagnostics --help`).
export const defaultBundleMaxBytes = 25 * 1024 * 1024;
export const defaultBundleTimeoutMs = 30_000;
