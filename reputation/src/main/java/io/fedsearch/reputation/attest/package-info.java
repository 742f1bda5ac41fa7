/**
 * Reputation attestations: a platform's signed statement of a creator's score, interval and epoch, with a canonical
 * byte form (scores in hundredths) so that anyone holding the JSON can verify it against the issuer's key.
 */
package io.fedsearch.reputation.attest;
