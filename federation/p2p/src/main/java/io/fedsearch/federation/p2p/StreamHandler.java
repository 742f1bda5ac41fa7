package io.fedsearch.federation.p2p;

/**
 * Serves one inbound stream of a registered protocol, on its own virtual thread. When it returns the host
 * half-closes the stream; when it throws, the host resets it and logs the reason.
 */
@FunctionalInterface
public interface StreamHandler {
  void handle(Stream stream) throws Exception;

  /**
   * Whether this handler reads the initiator's first message before it writes anything. The host then sends its
   * multistream-select answer to an optimistic initiator together with the handler's first write (one frame and
   * one system call fewer per request); a handler that writes first must not claim this.
   */
  default boolean readsFirst() {
    return false;
  }

  /** {@code handler}, declared to read before it writes ({@link #readsFirst()}). */
  static StreamHandler readingFirst(StreamHandler handler) {
    return new StreamHandler() {
      @Override
      public void handle(Stream stream) throws Exception {
        handler.handle(stream);
      }

      @Override
      public boolean readsFirst() {
        return true;
      }
    };
  }
}
