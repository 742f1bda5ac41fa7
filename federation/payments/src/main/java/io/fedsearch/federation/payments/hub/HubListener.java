package io.fedsearch.federation.payments.hub;

/**
 * What a {@link HubService} decides, for its operator's meters ({@code /metrics}). Called on the deciding thread
 * after the decision is durable, so a listener must be quick and must not throw; codes are as the hub sends them
 * (a platform's refusal code arrives from the network: a listener that labels by it must bound the set).
 */
public interface HubListener {
  /** Listens to nothing. */
  HubListener NONE = new HubListener() {};

  /**
   * A journaled request was decided: {@code status} {@link HubAnswer#DELIVERED} or {@link HubAnswer#CREDITED} (then
   * with {@code reasonCode}, else ""); forwarding it to the platform took {@code forwardNanos} (0 for this node's
   * own listing: sold here, nothing forwarded).
   */
  default void decided(String status, String reasonCode, long forwardNanos) {}

  /** A request refused before anything was journaled ({@link HubRefusal#code()}). */
  default void refused(String code) {}
}
