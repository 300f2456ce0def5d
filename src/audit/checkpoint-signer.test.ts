import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditSigner, checkpointMessage, keyIdOf, TrustedKeys, type CheckpointBody } from './checkpoint-signer.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'rempart-audit-key-'));
const root = createHash('sha256').update('root').digest();

describe('checkpoint signatures', () => {
  const signer = AuditSigner.generate();
  const body: CheckpointBody = { treeSize: 42, rootHash: root, createdAtMicros: 1_795_383_215_632_123n, keyId: signer.keyId };

  it('signs the documented five lines of text', () => {
    expect(checkpointMessage(body).toString('ascii')).toBe(
      `rempart access log checkpoint v1\n42\n${root.toString('hex')}\n1795383215632123\n${signer.keyId}\n`,
    );
    const der = signer.publicKey.export({ type: 'spki', format: 'der' });
    expect(signer.keyId).toBe(createHash('sha256').update(der).digest('hex').slice(0, 32));
  });

  it('verifies its own signature and refuses any field changed, or another key', () => {
    const signature = signer.sign(body);
    const trusted = new TrustedKeys([signer.publicKey]);
    expect(trusted.check(body, signature)).toBe('valid');
    expect(trusted.check({ ...body, treeSize: 43 }, signature)).toBe('invalid');
    expect(trusted.check({ ...body, rootHash: createHash('sha256').update('other').digest() }, signature)).toBe('invalid');
    expect(trusted.check({ ...body, createdAtMicros: body.createdAtMicros + 1n }, signature)).toBe('invalid');
    const flipped = Buffer.from(signature);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(trusted.check(body, flipped)).toBe('invalid');
    const other = AuditSigner.generate();
    expect(trusted.check({ ...body, keyId: other.keyId }, other.sign(body))).toBe('unknown-key');
    expect(new TrustedKeys([signer.publicKey, other.publicKey]).check({ ...body, keyId: other.keyId }, other.sign(body))).toBe('valid');
  });

  // What an auditor without Node does: OpenSSL 3 verifies Ed25519 over the raw message.
  it.skipIf(spawnSync('openssl', ['version']).status !== 0)('can be checked outside with openssl', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'audit.pub'), signer.publicKeyPem());
    writeFileSync(join(dir, 'head.txt'), checkpointMessage(body));
    writeFileSync(join(dir, 'head.sig'), signer.sign(body));
    const check = (message: string): number | null => {
      writeFileSync(join(dir, 'head.txt'), message);
      return spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'audit.pub', '-rawin', '-in', 'head.txt', '-sigfile', 'head.sig'], { cwd: dir }).status;
    };
    expect(check(checkpointMessage(body).toString('ascii'))).toBe(0);
    expect(check(checkpointMessage({ ...body, treeSize: 41 }).toString('ascii'))).not.toBe(0);
    const der = spawnSync('openssl', ['pkey', '-pubin', '-in', 'audit.pub', '-outform', 'DER'], { cwd: dir }).stdout;
    expect(createHash('sha256').update(der).digest('hex').slice(0, 32)).toBe(signer.keyId);
  });
});

describe('the checkpoint key', () => {
  it('is made once under the data home on the embedded store, private to its owner, then reused', () => {
    const home = scratch();
    const first = AuditSigner.fromEnv({}, home);
    expect(statSync(join(home, 'audit-key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(home, 'audit-key.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(AuditSigner.fromEnv({}, home).keyId).toBe(first.keyId);
  });

  it('comes from REMPART_AUDIT_KEY_FILE (PKCS#8 PEM), which must exist', () => {
    const home = scratch();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    // Outside the home: a server refuses its log keys beside the data.
    const path = join(scratch(), 'operator.pem');
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(AuditSigner.fromEnv({ REMPART_AUDIT_KEY_FILE: path, DATABASE_URL: 'postgres://x' }, home).keyId).toBe(keyIdOf(publicKey));
    expect(() => AuditSigner.fromEnv({ REMPART_AUDIT_KEY_FILE: join(home, 'absent.pem') }, home)).toThrow(
      expect.objectContaining({ code: 'AUDIT_KEY_INVALID' }) as Error,
    );
  });

  it('is never made up on a host of a shared server, and must be Ed25519', () => {
    const home = scratch();
    expect(() => AuditSigner.fromEnv({ DATABASE_URL: 'postgres://x' }, home)).toThrow(/REMPART_AUDIT_KEY_FILE/);
    // Nor taken from the embedded store's development key in the same home.
    AuditSigner.fromEnv({}, home);
    expect(() => AuditSigner.fromEnv({ DATABASE_URL: 'postgres://x' }, home)).toThrow(expect.objectContaining({ code: 'SERVER_KEY_MISSING' }) as Error);
    const ec = join(home, 'ec.pem');
    writeFileSync(ec, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => AuditSigner.fromEnv({ REMPART_AUDIT_KEY_FILE: ec }, home)).toThrow(/Ed25519/);
    const junk = join(home, 'junk.pem');
    writeFileSync(junk, randomBytes(64));
    expect(() => AuditSigner.fromEnv({ REMPART_AUDIT_KEY_FILE: junk }, home)).toThrow(expect.objectContaining({ code: 'AUDIT_KEY_INVALID' }) as Error);
  });

  it('gives verifiers its public half, read back from a PEM file', () => {
    const home = scratch();
    const signer = AuditSigner.generate();
    writeFileSync(join(home, 'audit.pub'), signer.publicKeyPem());
    expect(new TrustedKeys([TrustedKeys.readPublicKeyFile(join(home, 'audit.pub'))]).ids).toEqual([signer.keyId]);
  });
});
