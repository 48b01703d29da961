// The page list on the left: real links, the current page marked for screen readers.
import { href } from './use-route.js';

export const pages = [
  { id: 'overview', title: 'Overview' },
  { id: 'connections', title: 'Connections' },
  { id: 'records', title: 'Records' },
  { id: 'dead-letters', title: 'Dead letters' },
  { id: 'activity', title: 'Activity' },
  { id: 'audit', title: 'Audit log' },
  { id: 'settings', title: 'Settings' },
  { id: 'diagnostics', title: 'Diagnostics' },
] as const;

export function NavBar({ current }: { current: string }) {
  return (
    <nav className="app-nav" aria-label="Pages">
      <ul>
        {pages.map((page) => (
          <li key={page.id}>
            <a href={href(page.id)} aria-current={page.id === current ? 'page' : undefined}>
              {page.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
