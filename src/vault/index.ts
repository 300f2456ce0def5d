/**
 * Envelope encryption of personal data (THREATS.md point 8): values sealed per insurer
 * with AES-256-GCM under data keys that the database holds only wrapped by a master key
 * kept outside it; lookups through keyed blind indexes.
 */
export { unlessRefused, VaultError, type VaultErrorCode } from './errors.js';
export { beneficiaryIdentity, type FieldRef } from './field-cipher.js';
export type { InsurerKeys } from './keyring.js';
export { accessSealKeyFromEnv, findAccessSealKey, newAccessSealKeyText } from './access-seal-key.js';
export { LocalMasterKey, masterKeyFromEnv, readMasterKeyFile, type MasterKey } from './master-key.js';
export {
  listInsurers,
  rotateDataKey,
  rotateMasterKey,
  type DataKeyRotation,
  type DataKeyRotationOptions,
  type InsurerRef,
  type MasterKeyRotation,
  type RotationProgress,
} from './rotate.js';
export { rewrapApart } from './apart.js';
export { Vault } from './vault.js';
