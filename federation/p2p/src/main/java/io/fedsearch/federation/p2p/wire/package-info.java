/** Bounded readers for uvarints, length-prefixed messages and protobuf fields, and the remote-input error type. */
package io.fedsearch.federation.p2p.wire;
