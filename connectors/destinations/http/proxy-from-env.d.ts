// Types for proxy-from-env 2, which ships none.
declare module 'proxy-from-env' {
  /** Proxy URL for `url` from *_PROXY / NO_PROXY in process.env, or '' to connect directly. */
  export function getProxyForUrl(url: string | URL): string;
}
