// Root component: the agent store, header, page navigation and the current page (hash routing).
import type { MouseEvent } from 'react';
import { ActivityPage } from './activity/activity-page.js';
import { AuditPage } from './audit/audit-page.js';
import { ConnectionsPage } from './connections/connections-page.js';
import { DiagnosticsPage } from './diagnostics/diagnostics-page.js';
import { OverviewPage } from './overview/overview-page.js';
import { DeadLettersPage } from './records/dead-letters-page.js';
import { RecordsPage } from './records/records-page.js';
import { SettingsPage } from './settings/settings-page.js';
import { AgentProvider } from './shell/agent-store.js';
import { AppHeader } from './shell/app-header.js';
import { LinkBanner } from './shell/link-banner.js';
import { NavBar, pages } from './shell/nav-bar.js';
import { useRoute, type Route } from './shell/use-route.js';
import type { Transport } from './transport/resolve-agent-api.js';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'connections':
      return <ConnectionsPage route={route} />;
    case 'records':
      return <RecordsPage route={route} />;
    case 'dead-letters':
      return <DeadLettersPage route={route} />;
    case 'activity':
      return <ActivityPage />;
    case 'audit':
      return <AuditPage />;
    case 'settings':
      return <SettingsPage />;
    case 'diagnostics':
      return <DiagnosticsPage />;
    case 'overview':
      return <OverviewPage />;
    default:
      return <p>There is no page “{route.page}”. Pick one from the list on the left.</p>;
  }
}

/** The hash is the route, so the skip link moves focus itself instead of changing the hash. */
function skipToContent(event: MouseEvent<HTMLAnchorElement>): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

export function App({ transport }: { transport: Transport }) {
  const route = useRoute();
  const title = pages.find((p) => p.id === route.page)?.title ?? 'Integration agent';
  return (
    <AgentProvider transport={transport}>
      <a className="skip-link" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <div className="app">
        <AppHeader />
        <NavBar current={route.page} />
        <main id="main" tabIndex={-1} aria-label={title}>
          <LinkBanner />
          <Page route={route} />
        </main>
      </div>
    </AgentProvider>
  );
}
