import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { when } from './dom.js';

describe('an instant shown by the browser code', () => {
  it.each(['America/Los_Angeles', 'Asia/Tokyo', 'UTC'])('reads in French time with the browser in %s, as the server-rendered parts of the page do', (zone) => {
    // Half past eleven at night in UTC is already the next day in France (00:30 in winter, 01:30 in summer).
    const lateEvening = `${today()}T23:30:00Z`;
    const before = process.env.TZ;
    process.env.TZ = zone;
    try {
      expect(when(lateEvening)).toMatch(/ 0[01]:30$/);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });
});
