import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditSigner, TrustedKeys } from './checkpoint-signer.js';
import { dropMessage, type DropBody } from './retention-message.js';

describe('drop record signatures', () => {
  const signer = AuditSigner.generate();
  const digest = createHash('sha256').update('leaves').digest();
  const body: DropBody = { month: '2024-03', records: 1234, firstLeaf: 17, lastLeaf: 9876, leavesDigest: digest, droppedAtMicros: 1_795_383_215_632_123n, keyId: signer.keyId };
  const trusted = new TrustedKeys([signer.publicKey]);

  it('signs the documented eight lines of text, "-" for a month without leaves', () => {
    expect(dropMessage(body).toString('ascii')).toBe(
      `rempart access log retention drop v1\n2024-03\n1234\n17\n9876\n${digest.toString('hex')}\n1795383215632123\n${signer.keyId}\n`,
    );
    expect(dropMessage({ ...body, records: 0, firstLeaf: null, lastLeaf: null }).toString('ascii').split('\n').slice(2, 5)).toEqual(['0', '-', '-']);
    expect(() => dropMessage({ ...body, month: '2024-13' })).toThrow(RangeError);
  });

  it('verifies under the checkpoints’ key and refuses any field changed, another key, or a checkpoint’s signature', () => {
    const signature = signer.signDrop(body);
    expect(trusted.checkDrop(body, signature)).toBe('valid');
    for (const changed of [{ month: '2024-04' }, { records: 1233 }, { firstLeaf: 18 }, { lastLeaf: 9877 }, { leavesDigest: Buffer.alloc(32) }, { droppedAtMicros: 1n }]) {
      expect(trusted.checkDrop({ ...body, ...changed }, signature), JSON.stringify(Object.keys(changed))).toBe('invalid');
    }
    const other = AuditSigner.generate();
    expect(trusted.checkDrop({ ...body, keyId: other.keyId }, other.signDrop(body))).toBe('unknown-key');
    // The headers differ: a checkpoint's signature never passes for a drop record.
    const head = { treeSize: 1234, rootHash: digest, createdAtMicros: body.droppedAtMicros };
    expect(trusted.checkDrop(body, signer.sign(head))).toBe('invalid');
  });
});
