// The desktop window's URL checks: only app://agent is navigable, requested or trusted for IPC.
import { describe, expect, it } from 'vitest';
import {
  appEntryUrl,
  isAppUrl,
  isTrustedSenderUrl,
  navigationDecision,
  requestDecision,
} from '../../../main/desktop/app-origin.js';

describe('app origin checks', () => {
  it('accepts the app entry and its routes', () => {
    expect(appEntryUrl).toBe('app://agent/index.html');
    for (const url of [
      'app://agent/',
      'app://agent/index.html',
      'app://agent/assets/x.js',
      'app://agent/#/dead-letters',
    ])
      expect(isAppUrl(url), url).toBe(true);
  });

  it.each([
    'https://agent/',
    'http://127.0.0.1:8080/',
    'file:///etc/passwd',
    'app://agent.evil.example/',
    'app://evil/agent',
    'app://agent:8080/',
    'app://user:pw@agent/',
    'app://AGENT/',
    'javascript:alert(1)',
    'not a url',
    '',
  ])('refuses %s everywhere', (url) => {
    expect(isAppUrl(url)).toBe(false);
    expect(navigationDecision(url)).toBe('deny');
    expect(requestDecision(url)).toBe('deny');
    expect(isTrustedSenderUrl(url)).toBe(false);
  });

  it('lets the page load its own inline data but not remote content', () => {
    expect(requestDecision('data:image/png;base64,AAAA')).toBe('allow');
    expect(requestDecision('blob:app://agent/1f7c')).toBe('allow');
    expect(requestDecision('https://fonts.googleapis.com/css')).toBe('deny');
    expect(requestDecision('wss://example.com/socket')).toBe('deny');
    expect(navigationDecision('data:text/html,<script>1</script>')).toBe('deny');
  });

  it('trusts IPC only from the app page, and not from a frame without a URL', () => {
    expect(isTrustedSenderUrl('app://agent/index.html')).toBe(true);
    expect(isTrustedSenderUrl(undefined)).toBe(false);
  });
});
