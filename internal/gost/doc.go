// Package gost holds the Russian/Kazakh GOST cryptography that the NCA of
// Kazakhstan's certificates use, written here from the public standards in
// pure Go (standard library only):
//
//   - Streebog-256/512, GOST R 34.11-2012 (RFC 6986): NewStreebog256,
//     NewStreebog512;
//   - GOST R 34.11-94 (RFC 5831) with the test S-box parameter set, which is
//     KZ GOST 34.311-95, and with the CryptoPro set: New341194,
//     New341194CryptoPro;
//   - GOST R 34.10-2012 and -2001 signatures (RFC 7091, RFC 5832; KZ GOST
//     34.10-2015 and 34.310-2004) on the TC26 curves of RFC 7836 and the
//     CryptoPro curves of RFC 4357: Verify, Sign, GenerateKey;
//   - the encodings of keys and signatures as RFC 4491 and the NCA write
//     them.
//
// # Byte orders
//
// Byte order is where GOST implementations differ, so it is stated here
// once, as established on the NCA's own certificates (testdata/,
// TestNCACertificates) and cross-checked against OpenSSL's gost engine
// (TestOpenSSL*):
//
//   - Digests: Sum appends the hash's internal little-endian state, which
//     is what `openssl dgst -streebog512` prints and what certificates and
//     CMS carry. RFC 6986 and RFC 5831 print messages and digests as
//     numbers, most significant byte first, i.e. reversed.
//   - The integer α signed is the digest read little-endian (RFC 4491 §2.2.1,
//     OpenSSL), e = α mod q, e = 1 if that is 0.
//   - Public keys: the subjectPublicKey BIT STRING holds an OCTET STRING of
//     LE(X)‖LE(Y), each coordinate Size() bytes (RFC 4491 §2.3.2); the NCA
//     does the same. ParsePublicKey reads that content.
//   - Signatures: RFC 4491 §2.2.2 puts BE(s)‖BE(r) into the certificate's
//     signatureValue; the NCA writes the exact byte reversal, LE(r)‖LE(s),
//     in its certificates (SignatureNCA). `openssl dgst -sign` with the gost
//     engine outputs BE(s)‖BE(r) (ParseSignatureRFC4491).
//
// # OIDs
//
// CurveByOID knows the TC26 and CryptoPro parameter-set OIDs and the NCA's:
// 1.2.398.3.10.1.1.2.2.1 is id-tc26-gost-3410-12-512-paramSetA and
// 1.2.398.3.10.1.1.1.1.1 is CryptoPro-A, each proved by a certificate
// signature. The NCA's signature algorithms are 1.2.398.3.10.1.1.2.3.2
// (GOST 34.10-2015 512-bit with Streebog-512) and 1.2.398.3.10.1.1.1.2
// (GOST 34.310-2004 with GOST 34.311-95, i.e. GOST R 34.11-94 with the test
// S-boxes; digest parameter 1.2.398.3.10.1.3.1.1.0).
//
// # Constant time
//
// Field arithmetic (fixed-size limbs, Montgomery form or a special
// reduction for p = 2^512 − c), the fixed-base comb multiplication [k]G
// with complete addition formulas (Renes–Costello–Batina) and
// constant-time table reads, the inversion (Fermat) and s = r·d + k·e mod q
// in Sign and key generation do not branch on or index memory by secret
// values; TestSecretScalarFixedSequence checks that the sequence of field
// operations is the same for every scalar. What
// is not constant time: the private scalar and the nonce pass through
// math/big on their way in (rejection sampling, FillBytes), which may leak
// their length through timing; signing is only used in tests and by the
// demo CA. Verification and everything on public values use math/big and
// variable-time windows.
package gost
