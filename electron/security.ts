/**
 * Everything the shell does to keep the window a closed box: the BrowserWindow's webPreferences,
 * the privileges of the `outcrop:` scheme, the Content-Security-Policy, and the guards on
 * navigation, new windows, permissions, webviews and outgoing requests. Outcrop never talks to
 * the network, so the window may load nothing but its own scheme.
 *
 * Only types come from 'electron', so tests/unit/electron/security.test.ts runs without it.
 * Rules follow Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security).
 */
import type { CustomScheme, Event, Session, WebContents, WebPreferences } from 'electron';
import { APP_ORIGIN, APP_SCHEME } from './channels';

/** Prefix of every URL the renderer may be at (and of every trusted IPC sender frame). */
export const APP_URL_PREFIX = `${APP_ORIGIN}/`;
export const APP_ENTRY_URL = `${APP_URL_PREFIX}index.html`;

/**
 * The renderer is untrusted web content with a narrow bridge (the preload's `window.outcrop`).
 * `devTools` is only for development builds.
 */
export function windowWebPreferences(preload: string, opts: { dev: boolean }): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: opts.dev,
  };
}

/**
 * `standard` so relative URLs and web storage work, `secure` so it is a secure context,
 * `supportFetchAPI` + `stream` for MapLibre's tile fetches. `corsEnabled: false` keeps the
 * scheme unreadable cross-origin; that is why tiles are served same-origin, under
 * outcrop://app/tiles/ (a fetch from outcrop://app to another host of the scheme is refused).
 * Never `bypassCSP`.
 */
export const SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  stream: true,
  bypassCSP: false,
  allowServiceWorkers: false,
  codeCache: false,
} as const satisfies CustomScheme['privileges'];

export const PRIVILEGED_SCHEMES: CustomScheme[] = [{ scheme: APP_SCHEME, privileges: { ...SCHEME_PRIVILEGES } }];

/**
 * No remote origin anywhere: scripts only from the app itself, never eval; inline styles are
 * allowed because MapLibre and React set style attributes; blob: workers for MapLibre's worker.
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['worker-src', "'self' blob:"],
  ['connect-src', `'self' ${APP_SCHEME}:`],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
];

export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.map(([k, v]) => `${k} ${v}`).join('; ');

/** Headers sent with every response of the `outcrop:` scheme. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

/** True for outcrop://app/… and nothing else (not outcrop://app.evil/, not file:, not https:). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string' || !url.startsWith(APP_URL_PREFIX)) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app' && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** Where the window may navigate (will-navigate, will-frame-navigate, will-redirect). */
export const isAllowedNavigation = isAppUrl;

/** The IPC bridge answers only frames showing the app. */
export const isTrustedSenderUrl = isAppUrl;

const ALLOWED_REQUEST_SCHEMES = new Set([`${APP_SCHEME}:`, 'devtools:', 'data:', 'blob:']);

/** session.webRequest: anything that is not the app's own scheme (or devtools/data/blob) is cancelled. */
export function isAllowedRequestUrl(url: string): boolean {
  const colon = url.indexOf(':');
  if (colon <= 0) return false;
  return ALLOWED_REQUEST_SCHEMES.has(url.slice(0, colon + 1).toLowerCase());
}

type Listener = (...args: any[]) => void;
/** The part of WebContents the guards use (a fake in tests). */
export interface GuardedContents {
  on(event: string, listener: Listener): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

/**
 * Wire the navigation / window / webview guards on one WebContents. Refusals are logged once
 * with the URL, so a renderer bug that tries to leave the app is visible in the console.
 */
export function guardWebContents(contents: GuardedContents | WebContents, log: (msg: string) => void = console.warn): void {
  const c = contents as GuardedContents;
  const refuseNavigation = (what: string) => (event: Event | { preventDefault(): void; url?: string }, legacyUrl?: string) => {
    const url = (event as { url?: string }).url ?? legacyUrl ?? '';
    if (!isAllowedNavigation(url)) {
      event.preventDefault();
      log(`outcrop: blocked ${what} to ${url}`);
    }
  };
  c.on('will-navigate', refuseNavigation('navigation'));
  c.on('will-frame-navigate', refuseNavigation('frame navigation'));
  c.on('will-redirect', refuseNavigation('redirect'));
  c.on('will-attach-webview', (event: { preventDefault(): void }) => {
    event.preventDefault();
    log('outcrop: blocked a <webview>');
  });
  c.setWindowOpenHandler(({ url }) => {
    log(`outcrop: blocked a new window for ${url}`);
    return { action: 'deny' };
  });
}

/** The part of Session the guards use (a fake in tests). */
export interface GuardedSession {
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
  setDevicePermissionHandler?: Session['setDevicePermissionHandler'];
  webRequest: { onBeforeRequest: (listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void) => void };
  on?(event: 'will-download', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** Deny every permission (camera, geolocation, notifications …), every device, every download, every non-app request. */
export function guardSession(session: GuardedSession | Session, log: (msg: string) => void = console.warn): void {
  const s = session as GuardedSession;
  s.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`outcrop: denied permission "${permission}"`);
    callback(false);
  });
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler?.(() => false);
  s.webRequest.onBeforeRequest((details, callback) => {
    const ok = isAllowedRequestUrl(details.url);
    if (!ok) log(`outcrop: cancelled request to ${details.url}`);
    callback({ cancel: !ok });
  });
  s.on?.('will-download', (event) => event.preventDefault());
}
