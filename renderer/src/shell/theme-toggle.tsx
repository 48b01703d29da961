// Light / dark / system theme switch; the choice is kept in localStorage and applied as <html data-theme>.
import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const storageKey = 'integration-agent.theme';
const next: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };

function stored(): Theme {
  const value = window.localStorage.getItem(storageKey);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(stored);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
    window.localStorage.setItem(storageKey, theme);
  }, [theme]);
  return (
    <button type="button" onClick={() => setTheme(next[theme])} aria-label={`Theme: ${theme}. Switch theme`}>
      Theme: {theme}
    </button>
  );
}
