// Hash routing: "#/records/42?q=abc" → { page: 'records', parts: ['42'], params }; no server routes needed.
import { useEffect, useState } from 'react';

export interface Route {
  page: string;
  parts: string[];
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const text = hash.startsWith('#/') ? hash.slice(2) : '';
  const [path = '', query = ''] = text.split('?');
  const [page = '', ...parts] = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: page || 'overview', parts, params: new URLSearchParams(query) };
}

export function href(page: string, parts: (string | number)[] = [], params?: Record<string, string>): string {
  const path = [page, ...parts.map((p) => encodeURIComponent(String(p)))].join('/');
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#/${path}${query ? `?${query}` : ''}`;
}

export function navigate(target: string): void {
  window.location.hash = target.startsWith('#') ? target.slice(1) : target;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
