import { describe, expect, it, vi } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  guardSession,
  guardWebContents,
  isAllowedNavigation,
  isAllowedRequestUrl,
  isTrustedSenderUrl,
  PRIVILEGED_SCHEMES,
  SCHEME_PRIVILEGES,
  securityHeaders,
  windowWebPreferences,
} from '../../../electron/security';

describe('webPreferences', () => {
  it('isolates and sandboxes the renderer, with no Node and full web security', () => {
    const p = windowWebPreferences('/app/preload.cjs', { dev: false });
    expect(p).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    });
    expect(windowWebPreferences('/p', { dev: true }).devTools).toBe(true);
  });

  it('registers outcrop: as standard, secure, fetch + stream, not CORS-enabled, never bypassing CSP', () => {
    expect(PRIVILEGED_SCHEMES).toEqual([{ scheme: 'outcrop', privileges: SCHEME_PRIVILEGES }]);
    expect(SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: true, bypassCSP: false });
  });
});

describe('Content-Security-Policy', () => {
  it('is exactly the agreed policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; " +
        "connect-src 'self' outcrop:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it('names no remote origin, no wildcard and no eval', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|wss?:|ftp:|file:|\*/i);
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'wasm-unsafe-eval'");
    const script = CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('script-src'));
    expect(script).toBe("script-src 'self'");
  });

  it('goes out on every response with nosniff', () => {
    expect(securityHeaders()).toMatchObject({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' });
  });
});

describe('URL guards', () => {
  it.each(['outcrop://app/', 'outcrop://app/index.html', 'outcrop://app/deposits?id=1#x'])('allows navigation to %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(true);
    expect(isTrustedSenderUrl(url)).toBe(true);
  });

  it.each([
    'https://example.com/',
    'http://localhost:5173/',
    'file:///etc/passwd',
    'file:///C:/Windows/win.ini',
    'outcrop://app.evil.example/',
    'outcrop://app@evil/',
    'outcrop://user:pw@app/',
    'outcrop://tiles/deposits/0/0/0.pbf',
    'outcrop://app',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'about:blank',
    '',
  ])('denies navigation to %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
    expect(isTrustedSenderUrl(url)).toBe(false);
  });

  it('lets only the app scheme, devtools, data: and blob: requests out of the session', () => {
    for (const ok of ['outcrop://app/x.js', 'OUTCROP://app/', 'devtools://devtools/bundled/x', 'data:image/png;base64,AA', 'blob:outcrop://app/1234']) {
      expect(isAllowedRequestUrl(ok), ok).toBe(true);
    }
    for (const bad of ['https://tiles.example/0/0/0.pbf', 'http://127.0.0.1:8080/', 'ws://localhost/', 'wss://x/', 'file:///etc/hosts', 'ftp://x/', 'chrome://gpu', '']) {
      expect(isAllowedRequestUrl(bad), bad).toBe(false);
    }
  });
});

describe('guardWebContents', () => {
  function fakeContents() {
    const listeners = new Map<string, (...a: any[]) => void>();
    let openHandler: ((d: { url: string }) => unknown) | undefined;
    return {
      listeners,
      open: (url: string) => openHandler!({ url }),
      on(event: string, l: (...a: any[]) => void) {
        listeners.set(event, l);
        return this;
      },
      setWindowOpenHandler(h: (d: { url: string }) => any) {
        openHandler = h;
      },
    };
  }
  const navEvent = (url: string) => ({ url, preventDefault: vi.fn() });

  it('prevents navigation and redirects away from outcrop://app, allows it within', () => {
    const c = fakeContents();
    guardWebContents(c, () => {});
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = navEvent('https://evil.example/');
      c.listeners.get(name)!(away, away.url);
      expect(away.preventDefault, name).toHaveBeenCalled();
      const file = navEvent('file:///home/user/');
      c.listeners.get(name)!(file);
      expect(file.preventDefault, name).toHaveBeenCalled();
      const inside = navEvent('outcrop://app/index.html');
      c.listeners.get(name)!(inside);
      expect(inside.preventDefault, name).not.toHaveBeenCalled();
    }
  });

  it('denies every new window and every <webview>', () => {
    const c = fakeContents();
    guardWebContents(c, () => {});
    expect(c.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(c.open('outcrop://app/index.html')).toEqual({ action: 'deny' });
    const attach = { preventDefault: vi.fn() };
    c.listeners.get('will-attach-webview')!(attach, {}, { src: 'https://example.com' });
    expect(attach.preventDefault).toHaveBeenCalled();
  });
});

describe('guardSession', () => {
  it('denies every permission request and check, every device, every download and every non-app request', () => {
    let request: any;
    let check: any;
    let device: any;
    let before: any;
    let download: any;
    guardSession(
      {
        setPermissionRequestHandler: (h: any) => (request = h),
        setPermissionCheckHandler: (h: any) => (check = h),
        setDevicePermissionHandler: (h: any) => (device = h),
        webRequest: { onBeforeRequest: (l: any) => (before = l) },
        on: (_e: string, l: any) => (download = l),
      } as any,
      () => {},
    );
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      request({}, permission, cb, {});
      expect(cb).toHaveBeenCalledWith(false);
      expect(check({}, permission, 'outcrop://app', {})).toBe(false);
    }
    expect(device({})).toBe(false);
    const cancel = vi.fn();
    before({ url: 'https://example.com/x' }, cancel);
    expect(cancel).toHaveBeenCalledWith({ cancel: true });
    const pass = vi.fn();
    before({ url: 'outcrop://app/index.html' }, pass);
    expect(pass).toHaveBeenCalledWith({ cancel: false });
    const dl = { preventDefault: vi.fn() };
    download(dl);
    expect(dl.preventDefault).toHaveBeenCalled();
  });
});
