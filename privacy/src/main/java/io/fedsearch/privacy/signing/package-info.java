/**
 * The signing seam: releases (and reputation attestations) are signed through {@link
 * io.fedsearch.privacy.signing.RecordSigner}, implemented by the node's identity key; anyone checks them with
 * {@link io.fedsearch.privacy.signing.RecordVerifier}. The private key never enters this module.
 */
package io.fedsearch.privacy.signing;
