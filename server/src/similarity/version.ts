/**
 * The version of the fingerprinting, stored with each session's fingerprints: a stored row of
 * another version is left out when read, and the board fingerprints that session's code anew.
 * Bump it whenever tokenize, K, W or the hashing change what a source yields. 2: braces around a
 * one-statement body leave no token.
 */
export const FINGERPRINT_VERSION = 2;
