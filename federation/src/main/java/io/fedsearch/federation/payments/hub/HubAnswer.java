package io.fedsearch.federation.payments.hub;

import java.util.Optional;

/**
 * The state of a forwarded purchase: {@code pending} while in flight, then {@code delivered} (the platform's
 * verified receipt, wire form, and the hub's signed ack) or {@code credited} (the hub's signed credit note and why:
 * the platform's refusal code and message, or {@code platform_unreachable}).
 */
public record HubAnswer(String status, Optional<String> receipt, Optional<HubStatement> statement,
    Optional<String> reasonCode, Optional<String> reasonMessage) {
  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";
  public static final String CREDITED = "credited";

  static HubAnswer pending() {
    return new HubAnswer(PENDING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  static HubAnswer delivered(String receipt, HubStatement ack) {
    return new HubAnswer(DELIVERED, Optional.of(receipt), Optional.of(ack), Optional.empty(), Optional.empty());
  }

  static HubAnswer credited(HubStatement note, String code, String message) {
    return new HubAnswer(CREDITED, Optional.empty(), Optional.of(note), Optional.of(code), Optional.of(message));
  }
}
