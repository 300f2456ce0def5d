import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { plantHoneytokens } from '../../registry/honeytokens/plant.js';
import { populatedPlatform } from '../../rights/test-support/population.js';

describe('the home page', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('names the insurers served, and shows nothing that moves when honeytokens are planted', async () => {
    const { app, population, vault } = await populatedPlatform(t.db);
    const home = async (): Promise<string> => (await app.inject({ method: 'GET', url: '/' })).body;
    const before = await home();
    const insurers = [...new Set(population.holders.map((holder) => holder.amc))];
    expect(insurers.length).toBeGreaterThan(1);
    for (const amc of insurers) expect(before).toContain(`<td>${amc}</td>`);
    expect(before).not.toMatch(/Bénéficiaires|Radiés|Produits/);

    await plantHoneytokens(t.db, vault, { amcNumber: insurers[0] ?? '', count: 7, now: new Date() });
    expect(await home()).toBe(before);
    await app.close();
  });
});
