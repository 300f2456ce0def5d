import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { listeningPlatform } from '../../access/test-support/platform.js';
import type { Database } from '../../db/database.js';

/** Debian's chromium (apt-get install chromium); without it, the person's-eye tests are skipped. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/**
 * Headless Chromium as this machine allows it (no sandbox as root, no calls home). CI also
 * runs the suite under a shifted clock (libfaketime, preloaded): Chromium hangs under it,
 * so the browser keeps the real clock while the platform it drives runs on the shifted one.
 */
export function launchChromium(): Promise<Browser> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'LD_PRELOAD' && !name.startsWith('FAKETIME'))) as Record<string, string>;
  return chromium.launch({
    executablePath: CHROMIUM,
    env,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The platform listening on localhost (passkeys need a domain name) and a browser to drive it; `close` stops both. */
export async function browserPlatform(db: Database): Promise<{ app: FastifyInstance; origin: string; browser: Browser; close: () => Promise<void> }> {
  const { app, origin } = await listeningPlatform(db, 'localhost');
  const browser = await launchChromium();
  return { app, origin, browser, close: async () => { await browser.close(); await app.close(); } };
}

/** A platform authenticator on the page's device (DevTools protocol), present and verifying the user without a prompt. */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}
