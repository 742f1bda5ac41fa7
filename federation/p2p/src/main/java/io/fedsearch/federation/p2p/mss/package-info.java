/** multistream-select 1.0.0, used for the security protocol, the muxer (when not agreed early) and every stream. */
package io.fedsearch.federation.p2p.mss;
