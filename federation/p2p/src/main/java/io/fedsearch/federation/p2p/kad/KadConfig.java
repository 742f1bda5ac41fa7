package io.fedsearch.federation.p2p.kad;

import java.time.Duration;

/**
 * Kademlia settings.
 *
 * @param protocol the DHT protocol id; a private id keeps fedsearch's DHT apart from IPFS's
 * @param k bucket size and number of closest peers a lookup returns
 * @param alpha parallel requests per lookup
 * @param requestTimeout one request/response with a peer
 * @param providerTtl how long a provider record stays valid
 * @param republishInterval how often our own provider and value records are pushed again
 * @param recordTtl how long a stored value record stays valid
 * @param maxMessageBytes largest kad message read or written
 * @param validator checks values before they are stored or returned; by default none is accepted
 */
public record KadConfig(String protocol, int k, int alpha, Duration requestTimeout, Duration providerTtl,
    Duration republishInterval, Duration recordTtl, int maxMessageBytes, RecordValidator validator) {
  public static final String DEFAULT_PROTOCOL = "/fedsearch/kad/1.0.0";
  public static final String IPFS_PROTOCOL = "/ipfs/kad/1.0.0";

  public KadConfig {
    if (k < 1 || k > 64 || alpha < 1 || alpha > 32) {
      throw new IllegalArgumentException("kad: k must be 1..64 and alpha 1..32");
    }
  }

  public static KadConfig defaults() {
    return new KadConfig(DEFAULT_PROTOCOL, 20, 3, Duration.ofSeconds(10), Duration.ofHours(48),
        Duration.ofHours(22), Duration.ofHours(36), 256 * 1024, RecordValidator.none());
  }

  public KadConfig withProtocol(String p) {
    return new KadConfig(p, k, alpha, requestTimeout, providerTtl, republishInterval, recordTtl, maxMessageBytes,
        validator);
  }

  public KadConfig withAlpha(int a) {
    return new KadConfig(protocol, k, a, requestTimeout, providerTtl, republishInterval, recordTtl, maxMessageBytes,
        validator);
  }

  public KadConfig withValidator(RecordValidator v) {
    return new KadConfig(protocol, k, alpha, requestTimeout, providerTtl, republishInterval, recordTtl,
        maxMessageBytes, v);
  }

  public KadConfig withExpiry(Duration providers, Duration republish, Duration records) {
    return new KadConfig(protocol, k, alpha, requestTimeout, providers, republish, records, maxMessageBytes,
        validator);
  }
}
