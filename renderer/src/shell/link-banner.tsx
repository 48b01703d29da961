// Says when the web console has lost the agent: disconnected and reconnecting (with a retry), reconnected, or signed out for good.
import { useEffect, useRef, useState } from 'react';
import { clock } from '../common/format.js';
import { useAgent } from './agent-store.js';

/** How long "Reconnected" stays after the link comes back. */
const reconnectedShownMs = 10_000;

export function LinkBanner() {
  const { link, linkDownSince, retryLink, now } = useAgent();
  const previous = useRef(link);
  const [reconnectedAt, setReconnectedAt] = useState<number>();
  useEffect(() => {
    if (link === 'live' && previous.current === 'reconnecting') setReconnectedAt(Date.now());
    previous.current = link;
  }, [link]);

  if (link === 'signed-out') {
    return (
      <section className="banner health-attention" role="alert" data-testid="link-state" data-link={link}>
        <strong>Sign in again: </strong>
        this console session has ended (the agent restarted, or the session was idle too long), so nothing on
        this page updates any more. Open the link that <code>integration-agent console-url</code> prints on
        the agent machine.
      </section>
    );
  }
  if (link === 'reconnecting') {
    return (
      <section className="banner health-stopped" role="alert" data-testid="link-state" data-link={link}>
        <strong>Disconnected from the agent</strong>
        {linkDownSince !== undefined && <> since {clock(linkDownSince)}</>}: reconnecting… What this page
        shows may be out of date.{' '}
        <button type="button" onClick={retryLink}>
          Retry now
        </button>
      </section>
    );
  }
  if (link === 'live' && reconnectedAt !== undefined && now - reconnectedAt < reconnectedShownMs) {
    return (
      <section
        className="banner health-in-sync"
        role="status"
        data-testid="link-state"
        data-link="reconnected"
      >
        Reconnected to the agent at {clock(reconnectedAt)}; the page is live again.
      </section>
    );
  }
  return null;
}
