// Dates in command output: certificate and CRL times to the second, as @certlab/pki prints them
// in its messages (one implementation for both).

export { isoSeconds } from '@certlab/pki';
