/**
 * The tamper-evident access log (THREATS.md points 4, 9 and 10, attacker A9): records
 * appended in the disclosing transaction, sequenced into an RFC 6962 Merkle tree, signed
 * checkpoints, and the verification an auditor can redo from the documented formats.
 */
export { ACCESS_RECORD_SQL, appendAccessRecord, type AccessPurpose, type AccessRecordInput, type AccessResult, type AppendedAccessRecord } from './access-record.js';
export { accessSealer, AccessSealer, installAccessSealer, type SealCheck, type SealedOutcome, type SealedRequest, type SealScope } from './access-seal.js';
export { AuditSigner, checkpointMessage, keyIdOf, TrustedKeys, type CheckpointBody, type SignatureCheck } from './checkpoint-signer.js';
export { decodeLeaf, encodeLeaf, LEAF_FORMAT_VERSION, type StoredAccessRecord } from './leaf.js';
export {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  memoryRanges,
  MerkleFrontier,
  nodeHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
export { dropMessage, type DropBody } from './retention-message.js';
export {
  applyRetention,
  DEFAULT_RETENTION_MONTHS,
  retentionMonthsFromEnv,
  type MonthOutcome,
  type RetentionOptions,
  type RetentionReport,
  type SkipReason,
} from './retention.js';
export { proveConsistency, proveRecord, recentHeads, signedHeads, type HeadConsistency, type RecordInclusion, type SignedHead } from './proofs.js';
export { runSequencer, sequenceAccessLog, type Checkpoint, type SequencerOptions, type SequencerPass } from './sequencer.js';
export { startSequencer, type RunningSequencer, type SequencerLoopOptions } from './sequencer-loop.js';
export { exportToWitnesses, LocalWitness, localWitnessDir, readWitnessHeads } from './witness.js';
export { DEFAULT_VERIFY_BATCH } from './verify-leaves.js';
export { verifyAccessLog, type AuditProblem, type AuditProblemCode, type RetentionSummary, type SealSummary, type TreeHead, type VerifyOptions, type VerifyReport } from './verify.js';
export { logStatus, noteVerification, type LogStatus, type WitnessChecked } from './verification-notes.js';
