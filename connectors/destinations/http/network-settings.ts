// The settings page's network block for HTTP destinations: proxy and extra CA file, read from and written to the config.
import type { ProxySettings } from '../../../preload/contract/settings.js';
import type { NetworkSettings, NetworkUpdate } from '../../core/connector.js';
import type { HttpDestinationConfig } from './config.js';
import { objectAt } from '../../../main/shared/raw-object.js';

function proxyOf(d: HttpDestinationConfig): ProxySettings {
  const { mode, url, username, password, noProxy } = d.proxy;
  return {
    mode,
    noProxy,
    ...(url !== undefined ? { url } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { passwordSecret: password.secretRef } : {}),
  };
}

function rawProxy(p: NonNullable<NetworkUpdate['proxy']>): Record<string, unknown> {
  return {
    mode: p.mode,
    ...(p.url !== undefined ? { url: p.url } : {}),
    ...(p.username !== undefined ? { username: p.username } : {}),
    ...(p.passwordSecret !== undefined ? { password: { secretRef: p.passwordSecret } } : {}),
    ...(p.noProxy && p.noProxy.length > 0 ? { noProxy: p.noProxy } : {}),
  };
}

export const httpNetworkSettings: NetworkSettings<HttpDestinationConfig> = {
  read: (d) => ({ proxy: proxyOf(d), extraCaFile: d.tls.caFile ?? null }),
  write(destination, update) {
    if (update.proxy) destination.proxy = rawProxy(update.proxy);
    if (update.extraCaFile !== undefined) {
      const tls = objectAt(destination, 'tls');
      if (update.extraCaFile === null) delete tls.caFile;
      else tls.caFile = update.extraCaFile;
    }
  },
};
