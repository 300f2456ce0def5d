import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { seedDirectory, type Directory } from '../../access/test-support/client.js';
import { seedStaff, type Staff } from '../../access/test-support/staff.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { browserPlatform } from './browser.js';

/** What a console's journey works with: its database, the professionals' directory, the staff, and a browser on the platform. */
export interface StaffPlatform {
  t: TestDatabase;
  directory: Directory;
  staff: Staff;
  origin: string;
  browser: Browser;
}

/**
 * The consoles' journeys' common ground, made before the file's tests and closed after them:
 * a test database with the directory and the staff (test-support/staff.ts), and the
 * platform listening on localhost with a browser to drive it. Its fields are there once
 * the file's `beforeAll` ran.
 */
export function staffBrowserPlatform(): StaffPlatform {
  const ground = {} as StaffPlatform;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ground.t = await createTestDatabase();
    [ground.directory, ground.staff] = [await seedDirectory(ground.t.db), await seedStaff(ground.t.db)];
    const platform = await browserPlatform(ground.t.db);
    [ground.origin, ground.browser, close] = [platform.origin, platform.browser, platform.close];
  });
  afterAll(async () => {
    await close?.();
    await ground.t.drop();
  });
  return ground;
}
