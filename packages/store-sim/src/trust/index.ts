// Trust installers for real host stores: NSS, Debian/Ubuntu system trust, Java keystores.

export { type DebianTrustOptions, debianFileName, debianPaths, debianTrust } from './debian.js';
export {
  TOOL_PACKAGES,
  type TrustChange,
  type TrustedEntry,
  type TrustInstaller,
} from './installer.js';
export { type JavaTrustOptions, javaAlias, javaTrust, parseKeytoolList } from './java.js';
export {
  type NssTrustOptions,
  nssNickname,
  nssTrust,
  parseCertutilList,
  parseCertutilTrust,
} from './nss.js';
