/**
 * The strings the sandboxed preload shares with the main process. Kept free of imports (the
 * preload may load nothing but 'electron'), so the values are copied from src/api/contract.ts;
 * tests/unit/electron/preload.test.ts checks that the copies still match.
 */

/** = IPC_CHANNEL in src/api/contract.ts: the one invoke channel for every API method. */
export const IPC_CHANNEL = 'outcrop:call';
/** = IPC_JOB_EVENT in src/api/contract.ts: main → renderer job progress/done/error events. */
export const IPC_JOB_EVENT = 'outcrop:job-event';
/** = TILE_PATH_PREFIX in src/api/contract.ts. */
export const TILE_PATH_PREFIX = '/tiles/';
/** main → renderer: a command chosen in the application menu (see MenuCommand). */
export const IPC_MENU_COMMAND = 'outcrop:menu-command';

export const APP_SCHEME = 'outcrop';
/** The renderer's origin. Everything the window shows or fetches is below it. */
export const APP_ORIGIN = 'outcrop://app';

/** What the application menu asks the renderer to do (defined with the API contract; a type only, erased from the preload bundle). */
export type { MenuCommand } from '../src/api/contract';
